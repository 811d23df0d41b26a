import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { fashionMnistClassNames, loadFashionMnist, loadIdxFolder, loadMnist, mnistClassNames } from "../../src/data/datasets.js";

const fashionMnistFolder = "/usr/share/datasets/fashion-mnist";
const fashionMnistMissing = existsSync(fashionMnistFolder) ? false : `${fashionMnistFolder} not installed (apt-get install dataset-fashion-mnist)`;

/** Builds IDX bytes: the magic number, big-endian uint32 dimension sizes, then the payload. */
function idxBytes(magic: number, dims: number[], payload: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((size, index) => header.writeUInt32BE(size, 4 + 4 * index));
  return Buffer.concat([header, payload]);
}

describe("dataset loaders", () => {
  test("loadMnist loads both splits", () => {
    const { train, valid } = loadMnist();
    assert.equal(train.length, 60000);
    assert.equal(valid.length, 10000);
    assert.deepEqual(train.images.shape, [60000, 28, 28]);
    assert.equal(train.images.dtype, "uint8");
    assert.deepEqual(train.labels.shape, [60000]);
    assert.equal(train.labels.dtype, "int64");
    assert.deepEqual(train.imageSize, [28, 28]);
    assert.deepEqual(train.classNames, mnistClassNames);
    assert.equal(train.labels.narrow(0, 0, 1).item(), 5);
    assert.equal(valid.labels.narrow(0, 0, 1).item(), 7);
    train.dispose();
    valid.dispose();
  });

  test("loadMnist applies limit", () => {
    const both = loadMnist({ limit: 100 });
    assert.equal(both.train.length, 100);
    assert.equal(both.valid.length, 100);
    assert.deepEqual(both.train.labels.toNumbers().slice(0, 5), [5, 0, 4, 1, 9]);

    const perSplit = loadMnist({ limit: { train: 30 } });
    assert.equal(perSplit.train.length, 30);
    assert.equal(perSplit.valid.length, 10000);

    const oversized = loadMnist({ limit: { valid: 123456 } });
    assert.equal(oversized.valid.length, 10000);
  });

  test("loadMnist rejects invalid limit", () => {
    assert.throws(() => loadMnist({ limit: 0 }), /MNIST train: limit must be a positive integer, got 0/);
    assert.throws(() => loadMnist({ limit: { valid: 2.5 } }), /MNIST valid: limit must be a positive integer, got 2\.5/);
  });

  test("loadFashionMnist loads gzip files", { skip: fashionMnistMissing }, () => {
    const { train, valid } = loadFashionMnist(fashionMnistFolder, { limit: { train: 1000 } });
    assert.equal(train.length, 1000);
    assert.equal(valid.length, 10000);
    assert.deepEqual(train.classNames, fashionMnistClassNames);
    assert.equal(train.classNames[9], "Ankle boot");
    assert.equal(train.labels.narrow(0, 0, 1).item(), 9);
  });

  test("loadFashionMnist explains missing folder", () => {
    const folder = path.join(os.tmpdir(), "residual-lab-no-such-folder");
    assert.throws(() => loadFashionMnist(folder), (error: Error) => {
      assert.ok(error.message.includes(folder), error.message);
      assert.match(error.message, /not found/);
      assert.match(error.message, /apt-get install dataset-fashion-mnist/);
      assert.match(error.message, /pass the folder/);
      return true;
    });
  });
});

describe("loadIdxFolder", () => {
  let folder = "";

  before(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), "residual-lab-idx-folder-"));
  });

  after(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  /** Writes a small dataset whose image i is filled with the byte i and whose label is i % 3. */
  function writeSplit(prefix: string, count: number, compress: boolean, labelCount = count): void {
    const pixels = new Uint8Array(count * 2 * 2);
    for (let i = 0; i < count; i++) pixels.fill(i, i * 4, i * 4 + 4);
    const labels = Uint8Array.from({ length: labelCount }, (_, i) => i % 3);

    const images = idxBytes(0x803, [count, 2, 2], pixels);
    const labelBytes = idxBytes(0x801, [labelCount], labels);
    const suffix = compress ? ".gz" : "";
    writeFileSync(path.join(folder, `${prefix}-images-idx3-ubyte${suffix}`), compress ? gzipSync(images) : images);
    writeFileSync(path.join(folder, `${prefix}-labels-idx1-ubyte${suffix}`), compress ? gzipSync(labelBytes) : labelBytes);
  }

  test("loadIdxFolder reads plain and gzip files", () => {
    writeSplit("train", 7, false);
    writeSplit("t10k", 4, true);
    const { train, valid } = loadIdxFolder(folder);
    assert.deepEqual(train.images.shape, [7, 2, 2]);
    assert.deepEqual(valid.images.shape, [4, 2, 2]);
    assert.deepEqual(train.images.toNumbers().slice(0, 8), [0, 0, 0, 0, 1, 1, 1, 1]);
    assert.deepEqual(valid.labels.toNumbers(), [0, 1, 2, 0]);
    assert.deepEqual(train.classNames, ["0", "1", "2"]);
  });

  test("loadIdxFolder accepts class names", () => {
    writeSplit("train", 7, false);
    writeSplit("t10k", 4, true);
    const { train } = loadIdxFolder(folder, { classNames: ["a", "b", "c", "d"], name: "toy" });
    assert.deepEqual(train.classNames, ["a", "b", "c", "d"]);
    assert.equal(train.name, "toy train");
  });

  test("loadIdxFolder rejects out-of-range labels", () => {
    writeSplit("train", 7, false);
    writeSplit("t10k", 4, true);
    assert.throws(() => loadIdxFolder(folder, { classNames: ["a", "b"], name: "toy" }), /toy train: expected labels in \[0, 2\) for 2 class names, found labels from 0 to 2/);
  });

  test("loadIdxFolder rejects count mismatch", () => {
    writeSplit("train", 7, false, 6);
    writeSplit("t10k", 4, true);
    assert.throws(() => loadIdxFolder(folder, { name: "toy", limit: 2 }), /toy train: expected one label per image, found 7 images and 6 labels/);
  });

  test("loadIdxFolder names missing file", () => {
    writeSplit("train", 7, false);
    rmSync(path.join(folder, "t10k-labels-idx1-ubyte.gz"));
    assert.throws(() => loadIdxFolder(folder), /: missing t10k-labels-idx1-ubyte \(or t10k-labels-idx1-ubyte\.gz\)/);
  });

  test("loadIdxFolder rejects missing folder", () => {
    const missing = path.join(folder, "absent");
    assert.throws(() => loadIdxFolder(missing), (error: Error) => {
      assert.ok(error.message.startsWith(missing), error.message);
      assert.match(error.message, /IDX folder not found/);
      return true;
    });
  });

  test("loadIdxFolder prefers the plain file", () => {
    writeSplit("train", 7, false);
    writeSplit("t10k", 4, true);
    // A corrupt .gz beside a good plain file must not be read.
    copyFileSync(path.join(folder, "train-images-idx3-ubyte"), path.join(folder, "train-images-idx3-ubyte.gz"));
    const { train } = loadIdxFolder(folder);
    assert.equal(train.length, 7);
  });
});
