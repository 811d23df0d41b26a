// The batch progress line of long trainings: at most one per interval, naming epoch and batch.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BatchProgressCallback } from "../../src/experiments/training-callbacks.js";
import type { Learner } from "../../src/learner/index.js";

const learner = { epoch: 1, nEpoch: 3, iteration: 41, nIteration: 469, recorder: { smoothLoss: 0.25 } } as unknown as Learner;

test("progress line names epoch, batch and loss", () => {
  const lines: string[] = [];
  const progress = new BatchProgressCallback("fashion-mnist resnet-56 seed 0", (line) => lines.push(line), 0);
  progress.beforeEpoch();
  progress.afterBatch(learner);

  assert.deepEqual(lines, ["fashion-mnist resnet-56 seed 0: epoch 2/3, batch 42/469, loss 0.2500"]);
});

test("progress stays quiet within the interval", () => {
  const lines: string[] = [];
  const progress = new BatchProgressCallback("net", (line) => lines.push(line), 60_000);
  progress.beforeEpoch();
  progress.afterBatch(learner);
  progress.afterBatch(learner);

  assert.equal(lines.length, 0);
});
