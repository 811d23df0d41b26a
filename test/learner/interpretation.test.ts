import assert from "node:assert/strict";
import { test } from "node:test";
import { ImageClassificationDataset } from "../../src/data/index.js";
import { ClassificationInterpretation, Learner } from "../../src/learner/index.js";
import { tensor } from "../../src/torch/index.js";
import { mnistLoaders, silent, smallNet } from "./small-training.js";

const classNames = ["<zero>", "one & two", "three"];

/** Builds six 2x2 images whose pixels all equal 40 times the item number, so a figure shows which item it drew. */
function tinyDataset(): ImageClassificationDataset {
  const pixels = Uint8Array.from({ length: 24 }, (_, i) => 40 * Math.floor(i / 4));
  const images = tensor(pixels, { shape: [6, 2, 2] }); // [6, 2, 2] uint8
  const labels = tensor(BigInt64Array.from([0n, 0n, 1n, 1n, 2n, 2n])); // [6] int64
  return new ImageClassificationDataset(images, labels, classNames);
}

function tinyInterpretation(): ClassificationInterpretation {
  // Predicted classes 0, 1, 0, 0, 2, 0 against labels 0, 0, 1, 1, 2, 2.
  const probabilities = Float32Array.from([
    [0.8, 0.1, 0.1],
    [0.3, 0.6, 0.1],
    [0.7, 0.2, 0.1],
    [0.5, 0.4, 0.1],
    [0.1, 0.1, 0.8],
    [0.9, 0.05, 0.05],
  ].flat());
  const targets = Int32Array.from([0, 0, 1, 1, 2, 2]);
  const losses = Float32Array.from([0.2, 1.2, 1.6, 0.9, 0.2, 3]);
  return new ClassificationInterpretation(classNames, probabilities, targets, losses, Int32Array.from([0, 1, 2, 3, 4, 5]), tinyDataset());
}

test("confusion matrix counts actual by predicted", () => {
  assert.deepEqual(tinyInterpretation().confusionMatrix(), [
    [1, 1, 0],
    [2, 0, 0],
    [1, 0, 1],
  ]);
});

test("most confused sorts by count", () => {
  const interpretation = tinyInterpretation();
  assert.deepEqual(interpretation.mostConfused(), [
    { actual: "one & two", predicted: "<zero>", count: 2 },
    { actual: "<zero>", predicted: "one & two", count: 1 },
    { actual: "three", predicted: "<zero>", count: 1 },
  ]);
  assert.deepEqual(interpretation.mostConfused(2), [{ actual: "one & two", predicted: "<zero>", count: 2 }]);
});

test("top losses come largest first", () => {
  const interpretation = tinyInterpretation();
  const top = interpretation.topLosses(2);
  assert.deepEqual(top.map((item) => item.datasetIndex), [5, 2]);
  assert.equal(top[0].actual, "three");
  assert.equal(top[0].predicted, "<zero>");
  assert.ok(Math.abs(top[0].probability - 0.9) < 1e-6);
  assert.ok(Math.abs(top[0].loss - 3) < 1e-6);
  assert.deepEqual(interpretation.topLosses(2, { largest: false }).map((item) => item.datasetIndex), [0, 4]);
  assert.equal(interpretation.topLosses().length, 6);
});

test("figures escape class names", () => {
  const interpretation = tinyInterpretation();
  const matrix = interpretation.confusionMatrixSvg();
  assert.match(matrix, /&lt;zero&gt;/);
  assert.match(matrix, /one &amp; two/);
  assert.doesNotMatch(matrix, /<zero>/);
  assert.equal((matrix.match(/<rect x=/g) ?? []).length, 9, "one square per cell");

  const losses = interpretation.topLossesSvg(2);
  assert.match(losses, /&lt;zero&gt;\/three/);
  assert.match(losses, /3\.00 \/ 0\.90/);
  // Item 5 is grey level 200 in all 4 pixels, item 2 is level 80.
  assert.equal((losses.match(/fill="rgb\(200,200,200\)"/g) ?? []).length, 4);
  assert.equal((losses.match(/fill="rgb\(80,80,80\)"/g) ?? []).length, 4);
});

test("interpretation from a learner", async () => {
  const learn = new Learner(mnistLoaders(64, 40, 16), smallNet(), { logger: silent });
  const interpretation = await ClassificationInterpretation.fromLearner(learn);
  const matrix = interpretation.confusionMatrix();
  assert.equal(matrix.flat().reduce((sum, count) => sum + count, 0), 40);
  const labels = interpretation.targets;
  matrix.forEach((row, actual) => {
    assert.equal(row.reduce((sum, count) => sum + count, 0), labels.filter((label) => label === actual).length, `row ${actual}`);
  });
  assert.deepEqual([...interpretation.datasetIndices], Array.from({ length: 40 }, (_, i) => i));
  assert.match(interpretation.topLossesSvg(3), /<\/svg>/);
});
