import assert from "node:assert/strict";
import { test } from "node:test";
import { formatTableLine, formatTime, rowCells } from "../../src/learner/index.js";

test("format time as mm:ss", () => {
  assert.equal(formatTime(0), "00:00");
  assert.equal(formatTime(59.6), "01:00");
  assert.equal(formatTime(192), "03:12");
  assert.equal(formatTime(3725), "01:02:05");
});

test("table row shows six decimals", () => {
  const columns = ["epoch", "train_loss", "valid_loss", "accuracy", "time"];
  const cells = rowCells({ epoch: 3, trainLoss: 0.0312345678, validLoss: 0.04, metrics: { accuracy: 0.9903 }, seconds: 200 }, columns);
  assert.deepEqual(cells, ["3", "0.031235", "0.040000", "0.990300", "03:20"]);
  assert.equal(formatTableLine(cells, columns), "3         0.031235    0.040000    0.990300  03:20");
});
