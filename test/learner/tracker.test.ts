import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import {
  accuracy,
  Callback,
  CancelFitError,
  CheckpointCallback,
  EarlyStoppingCallback,
  Learner,
  ReduceLROnPlateau,
  SaveModelCallback,
  type EpochRow,
  type Learner as LearnerType,
} from "../../src/learner/index.js";
import { mnistLoaders, silent, smallNet } from "./small-training.js";

const quiet = { log: () => undefined };

/** Builds a stand-in learner whose table rows the test writes by hand. */
function fakeLearner(): { learner: LearnerType; finishEpoch: (validLoss: number, accuracyValue?: number) => void; lr: () => number } {
  let lr = 1e-2;
  const rows: EpochRow[] = [];
  const learner = {
    epoch: 0,
    metrics: [accuracy],
    recorder: { rows },
    optimizer: {
      get lr() {
        return lr;
      },
      setHyperparameters: (values: { lr?: number }) => {
        if (values.lr !== undefined) lr = values.lr;
      },
    },
  } as unknown as LearnerType & { epoch: number };
  const finishEpoch = (validLoss: number, accuracyValue = 0) => {
    rows.push({ epoch: rows.length, trainLoss: 1, validLoss, metrics: { accuracy: accuracyValue }, seconds: 1 });
    learner.epoch = rows.length - 1;
  };
  return { learner, finishEpoch, lr: () => lr };
}

test("comparison follows the monitor name", () => {
  assert.equal(new EarlyStoppingCallback(quiet).comparison, "less");
  assert.equal(new EarlyStoppingCallback({ ...quiet, monitor: "error_rate" }).comparison, "less");
  assert.equal(new EarlyStoppingCallback({ ...quiet, monitor: "accuracy" }).comparison, "greater");
  assert.equal(new EarlyStoppingCallback({ ...quiet, monitor: "accuracy", comparison: "less" }).comparison, "less");
});

test("early stopping waits patience epochs", () => {
  const { learner, finishEpoch } = fakeLearner();
  const stopper = new EarlyStoppingCallback({ ...quiet, patience: 2, minDelta: 0.05 });
  stopper.beforeFit(learner);
  for (const loss of [1, 0.9, 0.88]) {
    finishEpoch(loss);
    stopper.afterEpoch(learner);
  }
  // 0.88 is within minDelta of 0.9: one epoch without improvement, then a second one stops.
  assert.equal(stopper.best, 0.9);
  finishEpoch(0.87);
  assert.throws(() => stopper.afterEpoch(learner), CancelFitError);
});

test("early stopping watches metrics upwards", () => {
  const { learner, finishEpoch } = fakeLearner();
  const stopper = new EarlyStoppingCallback({ ...quiet, monitor: "accuracy" });
  stopper.beforeFit(learner);
  finishEpoch(1, 0.5);
  stopper.afterEpoch(learner);
  finishEpoch(1, 0.6);
  stopper.afterEpoch(learner);
  assert.equal(stopper.best, 0.6);
  finishEpoch(1, 0.55);
  assert.throws(() => stopper.afterEpoch(learner), CancelFitError);
});

test("tracker rejects unknown monitor", async () => {
  const learn = new Learner(mnistLoaders(64, 32), smallNet(), { logger: silent });
  await assert.rejects(learn.fit(1, undefined, { callbacks: [new EarlyStoppingCallback({ ...quiet, monitor: "accuracy" })] }), /monitor 'accuracy' is not a column.*train_loss, valid_loss/);
  assert.throws(() => new EarlyStoppingCallback({ patience: 0 }), /patience/);
  assert.throws(() => new ReduceLROnPlateau({ factor: 0.5 }), /factor/);
});

test("reduce lr on plateau divides by factor", () => {
  const { learner, finishEpoch, lr } = fakeLearner();
  const reducer = new ReduceLROnPlateau({ ...quiet, patience: 2, factor: 10, minLr: 5e-5 });
  reducer.beforeFit(learner);
  const lrAfter: number[] = [];
  for (const loss of [1, 1.1, 1.2, 1.3, 1.4, 0.5, 0.6, 0.7]) {
    finishEpoch(loss);
    reducer.afterEpoch(learner);
    lrAfter.push(lr());
  }
  // Plateaus of 2 epochs end at epochs 2 and 4 (1e-2 -> 1e-3 -> 1e-4), and at 7 the floor is minLr.
  assert.deepEqual(lrAfter, [1e-2, 1e-2, 1e-3, 1e-3, 1e-4, 1e-4, 1e-4, 5e-5]);
});

test("early stopping ends a real fit", async () => {
  const folder = mkdtempSync(path.join(tmpdir(), "residual-lab-test-"));
  try {
    const messages: string[] = [];
    const checkpoint = path.join(folder, "run.safetensors");
    // No epoch can beat the first by more than minDelta 100, so patience 1 stops after epoch 1.
    const stopper = new EarlyStoppingCallback({ minDelta: 100, log: (message) => messages.push(message) });
    const learn = new Learner(mnistLoaders(64, 32), smallNet(), { logger: silent });
    await learn.fit(5, undefined, { callbacks: [stopper, new CheckpointCallback(checkpoint)] });
    assert.equal(learn.recorder.rows.length, 2);
    assert.deepEqual(messages, ["No improvement since epoch 0: early stopping"]);
    assert.equal(learn.isFitting, false);
    assert.equal(learn.load(checkpoint).epochsDone, 2, "the checkpoint contains the epoch that stopped");
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

/** Copies the model's state after every epoch. */
class StatePerEpoch extends Callback {
  override order = 100;
  readonly states: Map<string, number[]>[] = [];
  override afterEpoch(learner: LearnerType): void {
    this.states.push(new Map([...learner.model.stateDict()].map(([name, value]) => [name, value.toNumbers()])));
  }
}

test("save model reloads the best epoch", async () => {
  const folder = mkdtempSync(path.join(tmpdir(), "residual-lab-test-"));
  try {
    const file = path.join(folder, "nested", "best.safetensors");
    const states = new StatePerEpoch();
    // "greater" on valid_loss makes the best epoch an early one, not the last one that the model ends with.
    const saver = new SaveModelCallback({ ...quiet, file, comparison: "greater" });
    const learn = new Learner(mnistLoaders(64, 32), smallNet(), { logger: silent, callbacks: [states] });
    await learn.fit(3, 1e-2, { callbacks: [saver] });

    const validLosses = learn.recorder.rows.map((row) => row.validLoss);
    const bestEpoch = validLosses.indexOf(Math.max(...validLosses));
    assert.equal(learn.recorder.rows.length, 3, "reloading keeps the table");
    assert.equal(saver.best, validLosses[bestEpoch]);
    const reloaded = new Map([...learn.model.stateDict()].map(([name, value]) => [name, value.toNumbers()]));
    assert.deepEqual(reloaded, states.states[bestEpoch]);
    if (bestEpoch !== 2) assert.notDeepEqual(reloaded, states.states[2]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
