import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DataLoader } from "../../src/data/dataloader.js";
import { DataLoaders } from "../../src/data/dataloaders.js";
import { ImageClassificationDataset } from "../../src/data/image-classification-dataset.js";
import { loadMnist } from "../../src/data/datasets.js";

function toyDataset(count: number, classNames: string[]): ImageClassificationDataset {
  const pixels = new Uint8Array(count * 4);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % classNames.length);
  return ImageClassificationDataset.fromIdx({ dims: [count, 2, 2], data: pixels }, { dims: [count], data: labels }, classNames);
}

describe("DataLoaders", () => {
  test("fromDatasets uses fastai defaults", () => {
    const dls = DataLoaders.fromDatasets(toyDataset(100, ["a", "b"]), toyDataset(70, ["a", "b"]));
    assert.equal(dls.train.batchSize, 64);
    assert.equal(dls.valid.batchSize, 64);
    assert.equal(dls.train.shuffle, true);
    assert.equal(dls.train.dropLast, true);
    assert.equal(dls.valid.shuffle, false);
    assert.equal(dls.valid.dropLast, false);
    assert.equal(dls.train.seed, 0);
    assert.equal(dls.train.length, 1);
    assert.equal(dls.valid.length, 2);
    assert.equal(dls.nIn, 1);
    assert.deepEqual(dls.classNames, ["a", "b"]);
  });

  test("fromDatasets passes options", () => {
    const dls = DataLoaders.fromDatasets(toyDataset(100, ["a", "b"]), toyDataset(70, ["a", "b"]), {
      batchSize: 16,
      validBatchSize: 32,
      seed: 9,
      memoryFormat: "channels_last",
    });
    assert.equal(dls.train.batchSize, 16);
    assert.equal(dls.valid.batchSize, 32);
    assert.equal(dls.train.seed, 9);
    assert.equal(dls.train.memoryFormat, "channels_last");
    assert.equal(dls.valid.memoryFormat, "channels_last");
    assert.equal(dls.train.length, 6);
    assert.equal(dls.valid.length, 3);
  });

  test("DataLoaders rejects mismatched class names", () => {
    const train = new DataLoader(toyDataset(4, ["a", "b"]));
    const valid = new DataLoader(toyDataset(4, ["a", "c"]));
    assert.throws(() => new DataLoaders(train, valid), /DataLoaders: train and valid class names differ: \[a, b\] and \[a, c\]/);
  });

  test("DataLoaders over MNIST yields training batches", () => {
    const { train, valid } = loadMnist({ limit: { train: 1000, valid: 200 } });
    const dls = DataLoaders.fromDatasets(train, valid);
    assert.equal(dls.train.length, 15);
    assert.equal(dls.valid.length, 4);
    assert.equal(dls.classNames.length, 10);

    const [batch] = dls.train;
    assert.ok(batch !== undefined);
    assert.deepEqual(batch.x.shape, [64, 1, 28, 28]);
    assert.deepEqual(batch.y.shape, [64]);
    const validSizes = [...dls.valid].map((validBatch) => validBatch.y.shape[0]);
    assert.deepEqual(validSizes, [64, 64, 64, 8]);
  });
});
