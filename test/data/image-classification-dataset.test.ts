import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ImageClassificationDataset } from "../../src/data/image-classification-dataset.js";
import { tensor, tidy, zeros } from "../../src/torch/index.js";

function labelsOf(values: number[]) {
  return tensor(values, { dtype: "int64" });
}

describe("ImageClassificationDataset", () => {
  test("dataset stores images and labels", () => {
    const dataset = new ImageClassificationDataset(zeros([3, 4, 5], "uint8"), labelsOf([0, 1, 1]), ["no", "yes"], "toy");
    assert.equal(dataset.length, 3);
    assert.deepEqual(dataset.imageSize, [4, 5]);
    assert.deepEqual(dataset.classNames, ["no", "yes"]);
    assert.equal(dataset.name, "toy");
  });

  test("dataset survives enclosing tidy", () => {
    const dataset = tidy(() => new ImageClassificationDataset(zeros([2, 2, 2], "uint8"), labelsOf([0, 1]), ["a", "b"]));
    assert.equal(dataset.images.isDisposed, false);
    assert.equal(dataset.labels.isDisposed, false);
    assert.deepEqual(dataset.labels.toNumbers(), [0, 1]);
  });

  test("dataset dispose frees tensors", () => {
    const dataset = new ImageClassificationDataset(zeros([2, 2, 2], "uint8"), labelsOf([0, 1]), ["a", "b"]);
    dataset.dispose();
    assert.equal(dataset.images.isDisposed, true);
    assert.equal(dataset.labels.isDisposed, true);
  });

  test("dataset rejects wrong image dtype", () => {
    assert.throws(
      () => new ImageClassificationDataset(zeros([2, 2, 2]), labelsOf([0, 1]), ["a", "b"], "toy"),
      /toy: expected images as uint8 \[N, H, W\], got float32 \[2, 2, 2\]/,
    );
  });

  test("dataset rejects wrong image rank", () => {
    assert.throws(
      () => new ImageClassificationDataset(zeros([2, 1, 2, 2], "uint8"), labelsOf([0, 1]), ["a", "b"], "toy"),
      /toy: expected images as uint8 \[N, H, W\], got uint8 \[2, 1, 2, 2\]/,
    );
  });

  test("dataset rejects wrong label dtype", () => {
    assert.throws(
      () => new ImageClassificationDataset(zeros([2, 2, 2], "uint8"), tensor([0, 1]), ["a", "b"], "toy"),
      /toy: expected labels as int64 \[N\], got float32 \[2\]/,
    );
  });

  test("dataset rejects count mismatch", () => {
    assert.throws(
      () => new ImageClassificationDataset(zeros([3, 2, 2], "uint8"), labelsOf([0, 1]), ["a", "b"], "toy"),
      /toy: expected one label per image, found 3 images and 2 labels/,
    );
  });

  test("dataset rejects negative label", () => {
    assert.throws(
      () => new ImageClassificationDataset(zeros([2, 2, 2], "uint8"), labelsOf([-1, 1]), ["a", "b"], "toy"),
      /toy: expected labels in \[0, 2\) for 2 class names, found labels from -1 to 1/,
    );
  });

  test("dataset rejects empty class names", () => {
    assert.throws(() => new ImageClassificationDataset(zeros([2, 2, 2], "uint8"), labelsOf([0, 0]), [], "toy"), /toy: expected at least one class name/);
  });

  test("dataset fromIdx copies first entries", () => {
    const pixels = Uint8Array.from({ length: 3 * 2 * 2 }, (_, i) => i);
    const labels = Uint8Array.from([2, 0, 1]);
    const dataset = ImageClassificationDataset.fromIdx({ dims: [3, 2, 2], data: pixels }, { dims: [3], data: labels }, ["a", "b", "c"], { limit: 2 });
    assert.deepEqual(dataset.images.shape, [2, 2, 2]);
    assert.deepEqual(dataset.images.toNumbers(), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(dataset.labels.toNumbers(), [2, 0]);
    assert.equal(dataset.labels.dtype, "int64");
  });
});
