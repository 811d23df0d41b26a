// The depth sweep's sentence: from which depth residual connections pay, and where the plain net won.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DepthGap, DepthSweepAnswer } from "../../src/experiments/depth-sweep.js";
import { spread } from "../../src/experiments/experiment.js";
import { depthSweepAnswer } from "../../src/report/depth-sweep-section.js";

function gap(depth: number, residual: number[], plain: number[], better: DepthGap["better"]): DepthGap {
  const residualTrainLoss = spread(residual);
  const plainTrainLoss = spread(plain);
  return { depth, residualTrainLoss, plainTrainLoss, gap: plainTrainLoss.mean - residualTrainLoss.mean, better };
}

test("sentence names the first depth and the plain net's win", () => {
  const answer: DepthSweepAnswer = {
    dataset: "mnist",
    gaps: [gap(8, [0.56, 0.57], [0.49, 0.53], "plain"), gap(20, [0.26, 0.28], [0.41, 0.43], "residual"), gap(44, [0.28, 0.34], [1.19, 1.33], "residual")],
    neededFromDepth: 20,
    deepestTried: 44,
  };
  const sentence = depthSweepAnswer(answer);

  assert.match(sentence, /first trained better beyond the seed spread at 20 layers/);
  assert.match(sentence, /below that it was not better beyond the spread/);
  assert.match(sentence, /The plain net trained better at 8 layers\./);
  assert.doesNotMatch(sentence, /alike/);
});

test("sentence for a sweep where no depth needed shortcuts", () => {
  const answer: DepthSweepAnswer = { dataset: "mnist", gaps: [gap(8, [0.5, 0.51], [0.5, 0.52], "inconclusive")], neededFromDepth: null, deepestTried: 8 };

  assert.match(depthSweepAnswer(answer), /at no depth up to 8 did the residual net train better/);
});
