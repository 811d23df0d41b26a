import assert from "node:assert/strict";
import { test } from "node:test";
import { Callback, Learner, type Learner as LearnerType } from "../../src/learner/index.js";
import { manualSeed } from "../../src/torch/index.js";
import { mnistLoaders, silent, smallNet } from "./small-training.js";

/** Records the optimizer's momentum of every training batch (the Recorder keeps the lr). */
class MomentumLog extends Callback {
  override order = 100;
  override runValid = false;
  readonly momentums: number[] = [];
  override afterBatch(learner: LearnerType): void {
    this.momentums.push(learner.optimizer!.momentum);
  }
}

function assertAllClose(actual: number[], expected: number[], label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  actual.forEach((value, i) => {
    assert.ok(Math.abs(value - expected[i]) <= 1e-12 + 1e-9 * Math.abs(expected[i]), `${label}[${i}]: expected ${expected[i]}, got ${value}`);
  });
}

test("fitOneCycle sets lr and momentum per batch", async () => {
  // 2 epochs of 2 batches: the batches start at positions 0, 0.25, 0.5 and 0.75.
  const momentums = new MomentumLog();
  const learn = new Learner(mnistLoaders(64, 32), smallNet(), { callbacks: [momentums], logger: silent });
  await learn.fitOneCycle(2, 1e-2);

  // Position 0.5 is a third of the annealing: 1e-2 + (1 - cos(π/3))/2 · (1e-7 - 1e-2).
  const lrMax = 1e-2;
  const lrEnd = lrMax / 1e5;
  assertAllClose(learn.recorder.lrs, [lrMax / 25, lrMax, lrMax + 0.25 * (lrEnd - lrMax), lrMax + 0.75 * (lrEnd - lrMax)], "lr");
  assertAllClose(momentums.momentums, [0.95, 0.85, 0.875, 0.925], "momentum");
  assert.equal(learn.lr, 1e-3, "the learner's default lr is unchanged");
});

test("fitOneCycle takes fastai's options", async () => {
  const momentums = new MomentumLog();
  const learn = new Learner(mnistLoaders(64, 32), smallNet(), { logger: silent });
  await learn.fitOneCycle(1, 1e-2, { divFactor: 10, finalDiv: 100, pctStart: 0.5, moms: [0.9, 0.8, 0.7], callbacks: [momentums] });
  assertAllClose(learn.recorder.lrs, [1e-3, 1e-2], "lr");
  assertAllClose(momentums.momentums, [0.9, 0.8], "momentum");
  assert.ok(!learn.callbacks.includes(momentums), "callbacks of one fit are removed afterwards");
});

test("fitOneCycle rejects bad options", async () => {
  const learn = new Learner(mnistLoaders(64, 32), smallNet(), { logger: silent });
  await assert.rejects(learn.fitOneCycle(1, -1), /lrMax/);
  await assert.rejects(learn.fitOneCycle(1, 1e-3, { pctStart: 1.5 }), /pctStart/);
  await assert.rejects(learn.fitOneCycle(1, 1e-3, { moms: [0.95, 0.85] as unknown as [number, number, number] }), /moms/);
});

test("resumed fitOneCycle continues the schedule", async () => {
  const full = new Learner(mnistLoaders(64, 32), smallNet(), { logger: silent });
  await full.fitOneCycle(3, 1e-2);

  const resumed = new Learner(mnistLoaders(64, 32), smallNet(), { logger: silent });
  await resumed.fitOneCycle(3, 1e-2, { startEpoch: 2 });
  assert.deepEqual(resumed.recorder.lrs, full.recorder.lrs.slice(4));
});

test("one-cycle training lowers the loss", async () => {
  manualSeed(0);
  const learn = new Learner(mnistLoaders(256, 64), smallNet(), { logger: silent });
  await learn.fitOneCycle(2, 1e-2);
  const losses = learn.recorder.losses;
  assert.ok(losses.at(-1)! < losses[0], `loss went from ${losses[0]} to ${losses.at(-1)}`);
});
