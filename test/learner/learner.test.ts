import assert from "node:assert/strict";
import { test } from "node:test";
import {
  accuracy,
  Callback,
  CancelBatchError,
  CancelEpochError,
  CancelFitError,
  CancelTrainError,
  CancelValidateError,
  Learner,
  parameterGroups,
  SmoothedValue,
  visionLearner,
  type EpochLogger,
  type Learner as LearnerType,
} from "../../src/learner/index.js";
import { resnet18 } from "../../src/models/index.js";
import { BatchNorm1d, BatchNorm2d, Conv2d, Flatten, Linear, Sequential } from "../../src/nn/index.js";
import { liveTensors, manualSeed } from "../../src/torch/index.js";
import { mnistLoaders, silent, smallNet } from "./small-training.js";

test("resnet18 learns an MNIST subset", async () => {
  manualSeed(0);
  const learn = visionLearner(mnistLoaders(2048, 500), resnet18, { metrics: [accuracy], logger: silent });
  await learn.fit(1, 1e-3);
  const row = learn.recorder.rows[0];
  assert.ok(row.metrics.accuracy > 0.6, `accuracy ${row.metrics.accuracy} is not well above chance (0.1)`);
  assert.ok(row.validLoss < 1.5, `valid loss ${row.validLoss}`);
});

test("same seed gives the same losses", async () => {
  const run = async (seed: number) => {
    manualSeed(seed);
    const learn = visionLearner(mnistLoaders(320, 64, 32, seed), resnet18, { logger: silent });
    await learn.fit(1, 1e-3);
    return learn.recorder.losses;
  };
  const first = await run(0);
  const second = await run(0);
  const other = await run(1);
  assert.equal(first.length, 10);
  assert.deepEqual(second, first);
  assert.notDeepEqual(other, first);
});

test("vision learner builds fastai's head", () => {
  const dls = mnistLoaders(64, 64);
  const learn = visionLearner(dls, resnet18);
  // resnet18 body with a 1-channel conv1 (11,170,240) + head (532,480).
  assert.equal(learn.model.numParameters(), 11_702_720);
  const state = learn.model.stateDict();
  assert.deepEqual(state.get("1.2.bias")!.toNumbers().slice(0, 2).map((v) => Number(v.toFixed(6))), [0.001, 0.001]);
  assert.equal(state.get("1.4.bias"), undefined);
  assert.deepEqual(state.get("1.8.weight")!.shape, [10, 512]);
  assert.deepEqual(state.get("0.0.weight")!.shape, [64, 1, 7, 7]);
});

test("vision learner rejects pretrained weights", () => {
  assert.throws(() => visionLearner(mnistLoaders(64, 64), resnet18, { pretrained: true as false }), /pretrained weights are not available/);
});

test("weight decay skips BatchNorm and bias", () => {
  const model = new Sequential(new Conv2d(1, 4, 3), new BatchNorm2d(4), new Flatten(), new BatchNorm1d(4 * 26 * 26), new Linear(4 * 26 * 26, 2));
  const [decayed, undecayed] = parameterGroups(model, { wd: 0.01 });
  assert.equal(decayed.weightDecay, 0.01);
  assert.equal(undecayed.weightDecay, 0);
  assert.equal(decayed.params.length, 2); // conv weight, linear weight
  assert.equal(undecayed.params.length, 6); // conv bias, 2 x BatchNorm (weight, bias), linear bias
});

test("smoothed loss matches fastai's formula", () => {
  const smoother = new SmoothedValue(0.98);
  const values = [2, 1, 0.5];
  let average = 0;
  values.forEach((value, i) => {
    smoother.add(value);
    average = 0.98 * average + 0.02 * value;
    assert.ok(Math.abs(smoother.value - average / (1 - 0.98 ** (i + 1))) < 1e-12);
  });
  assert.ok(Math.abs(new SmoothedValue().value) >= 0 || Number.isNaN(new SmoothedValue().value));
});

class EventLog extends Callback {
  readonly events: string[] = [];
  override beforeFit(): void { this.events.push("beforeFit"); }
  override beforeEpoch(): void { this.events.push("beforeEpoch"); }
  override beforeTrain(): void { this.events.push("beforeTrain"); }
  override beforeBatch(learner: LearnerType): void { this.events.push(learner.training ? "beforeBatch" : "beforeBatch(valid)"); }
  override afterPred(): void { this.events.push("afterPred"); }
  override afterLoss(): void { this.events.push("afterLoss"); }
  override beforeBackward(): void { this.events.push("beforeBackward"); }
  override afterBackward(): void { this.events.push("afterBackward"); }
  override beforeStep(): void { this.events.push("beforeStep"); }
  override afterStep(): void { this.events.push("afterStep"); }
  override afterBatch(): void { this.events.push("afterBatch"); }
  override afterTrain(): void { this.events.push("afterTrain"); }
  override beforeValidate(): void { this.events.push("beforeValidate"); }
  override afterValidate(): void { this.events.push("afterValidate"); }
  override afterEpoch(): void { this.events.push("afterEpoch"); }
  override afterCancelBatch(): void { this.events.push("afterCancelBatch"); }
  override afterCancelTrain(): void { this.events.push("afterCancelTrain"); }
  override afterCancelValidate(): void { this.events.push("afterCancelValidate"); }
  override afterCancelEpoch(): void { this.events.push("afterCancelEpoch"); }
  override afterCancelFit(): void { this.events.push("afterCancelFit"); }
  override afterFit(): void { this.events.push("afterFit"); }
}

test("callbacks fire in fastai's order", async () => {
  const log = new EventLog();
  const learn = new Learner(mnistLoaders(64, 32), smallNet(), { callbacks: [log], logger: silent });
  await learn.fit(1);
  const trainBatch = ["beforeBatch", "afterPred", "afterLoss", "beforeBackward", "afterBackward", "beforeStep", "afterStep", "afterBatch"];
  const validBatch = ["beforeBatch(valid)", "afterPred", "afterLoss", "afterBatch"];
  assert.deepEqual(log.events, [
    "beforeFit",
    "beforeEpoch",
    "beforeTrain",
    ...trainBatch,
    ...trainBatch,
    "afterTrain",
    "beforeValidate",
    ...validBatch,
    "afterValidate",
    "afterEpoch",
    "afterFit",
  ]);
});

class StopAfterFirstBatch extends Callback {
  // After the Recorder (order 50), so the first batch is recorded before the fit ends.
  override order = 100;
  override afterBatch(): void {
    throw new CancelFitError();
  }
}

test("cancel fit error ends the fit", async () => {
  const log = new EventLog();
  const learn = new Learner(mnistLoaders(128, 32), smallNet(), { callbacks: [log, new StopAfterFirstBatch()], logger: silent });
  await learn.fit(3);
  assert.equal(learn.recorder.losses.length, 1);
  assert.equal(learn.recorder.rows.length, 0);
  assert.deepEqual(log.events.slice(-2), ["afterCancelFit", "afterFit"]);
});

test("one fit at a time per learner", async () => {
  const learn = new Learner(mnistLoaders(64, 32), smallNet(), { logger: silent });
  const first = learn.fit(1);
  await assert.rejects(learn.fit(1), /already fitting/);
  await first;
});

test("table row holds epoch, losses, metrics, time", async () => {
  const rows: string[][] = [];
  const logger: EpochLogger = { row: (row, columns) => rows.push(columns) };
  const learn = new Learner(mnistLoaders(64, 32), smallNet(), { metrics: [accuracy], logger });
  await learn.fit(2);
  assert.deepEqual(rows[0], ["epoch", "train_loss", "valid_loss", "accuracy", "time"]);
  assert.equal(learn.recorder.rows.length, 2);
  assert.deepEqual(learn.recorder.rows.map((row) => row.epoch), [0, 1]);
  const accuracyValue = learn.recorder.rows[1].metrics.accuracy;
  assert.ok(accuracyValue >= 0);
  assert.ok(accuracyValue <= 1);
});

test("training keeps live tensors flat", async () => {
  const learn = new Learner(mnistLoaders(320, 64), smallNet(), { logger: silent });
  await learn.fit(1);
  const afterFirst = liveTensors();
  await learn.fit(2);
  const afterThird = liveTensors();
  assert.equal(afterThird.count, afterFirst.count);
  assert.equal(afterThird.bytes, afterFirst.bytes);
});

test("validate reports loss and metrics", async () => {
  const learn = new Learner(mnistLoaders(64, 50), smallNet(), { metrics: [accuracy], logger: silent });
  const result = await learn.validate();
  assert.ok(Number.isFinite(result.validLoss));
  assert.ok(result.metrics.accuracy >= 0);
  assert.ok(result.metrics.accuracy <= 1);
});

/** Throws `error` from the first `event` of the fit, after the EventLog (order 0) has logged it. */
class ThrowOnce extends Callback {
  override order = 100;
  private thrown = false;

  constructor(event: "afterPred" | "beforeTrain" | "beforeValidate" | "afterTrain", error: () => Error) {
    super();
    this[event] = () => {
      if (this.thrown) return;
      this.thrown = true;
      throw error();
    };
  }
}

test("cancel errors end their own scope", async () => {
  const trainBatch = ["beforeBatch", "afterPred", "afterLoss", "beforeBackward", "afterBackward", "beforeStep", "afterStep", "afterBatch"];
  const validBatch = ["beforeBatch(valid)", "afterPred", "afterLoss", "afterBatch"];
  const validation = ["beforeValidate", ...validBatch, "afterValidate"];
  const cases: { name: string; thrower: ThrowOnce; expected: string[] }[] = [
    {
      name: "batch",
      thrower: new ThrowOnce("afterPred", () => new CancelBatchError()),
      expected: ["beforeBatch", "afterPred", "afterCancelBatch", "afterBatch", ...trainBatch, "afterTrain", ...validation, "afterEpoch"],
    },
    {
      name: "train",
      thrower: new ThrowOnce("beforeTrain", () => new CancelTrainError()),
      expected: ["afterCancelTrain", "afterTrain", ...validation, "afterEpoch"],
    },
    {
      name: "validate",
      thrower: new ThrowOnce("beforeValidate", () => new CancelValidateError()),
      expected: [...trainBatch, ...trainBatch, "afterTrain", "beforeValidate", "afterCancelValidate", "afterValidate", "afterEpoch"],
    },
    {
      name: "epoch",
      thrower: new ThrowOnce("afterTrain", () => new CancelEpochError()),
      expected: [...trainBatch, ...trainBatch, "afterTrain", "afterCancelEpoch", "afterEpoch"],
    },
  ];

  for (const { name, thrower, expected } of cases) {
    const log = new EventLog();
    const learn = new Learner(mnistLoaders(64, 32), smallNet(), { callbacks: [log, thrower], logger: silent });
    await learn.fit(1);
    assert.deepEqual(log.events.slice(0, 3), ["beforeFit", "beforeEpoch", "beforeTrain"], `${name}: start`);
    assert.deepEqual(log.events.slice(3, -1), expected, `${name}: events`);
    assert.equal(log.events.at(-1), "afterFit", `${name}: end`);
  }
});

test("cancel fit error in beforeFit ends the fit", async () => {
  const log = new EventLog();
  const stop = new (class extends Callback {
    override order = 100;
    override beforeFit(): void {
      throw new CancelFitError();
    }
  })();
  const learn = new Learner(mnistLoaders(64, 32), smallNet(), { callbacks: [log, stop], logger: silent });
  await learn.fit(2);
  assert.deepEqual(log.events, ["beforeFit", "afterCancelFit", "afterFit"]);
});

test("other errors propagate out of fit", async () => {
  const learn = new Learner(mnistLoaders(64, 32), smallNet(), { callbacks: [new ThrowOnce("afterPred", () => new Error("broken callback"))], logger: silent });
  await assert.rejects(learn.fit(1), /broken callback/);
  assert.equal(learn.isFitting, false);
});

test("train-only callback still sees fit events", async () => {
  const events: string[] = [];
  const trainOnly = new (class extends Callback {
    override runValid = false;
    override beforeFit(): void { events.push("beforeFit"); }
    override afterBatch(learner: LearnerType): void { events.push(learner.training ? "train batch" : "valid batch"); }
    override afterEpoch(): void { events.push("afterEpoch"); }
    override afterFit(): void { events.push("afterFit"); }
  })();
  const learn = new Learner(mnistLoaders(64, 32), smallNet(), { callbacks: [trainOnly], logger: silent });
  await learn.fit(1);
  assert.deepEqual(events, ["beforeFit", "train batch", "train batch", "afterEpoch", "afterFit"]);
});

test("mean train loss mode shows the epoch mean", async () => {
  const learn = new Learner(mnistLoaders(96, 32), smallNet(), { trainLossMode: "mean", logger: silent });
  await learn.fit(1);
  const losses = learn.recorder.losses;
  const mean = losses.reduce((sum, loss) => sum + loss, 0) / losses.length;
  assert.equal(losses.length, 3);
  assert.ok(Math.abs(learn.recorder.rows[0].trainLoss - mean) < 1e-9, `train_loss ${learn.recorder.rows[0].trainLoss}, epoch mean ${mean}`);
  assert.notEqual(learn.recorder.rows[0].trainLoss, learn.recorder.smoothLoss);
  assert.throws(() => new Learner(mnistLoaders(64, 32), smallNet(), { trainLossMode: "median" as "mean" }), /trainLossMode/);
});
