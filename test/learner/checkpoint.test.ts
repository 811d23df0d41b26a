import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { Callback, CheckpointCallback, Learner, type Learner as LearnerType } from "../../src/learner/index.js";
import { manualSeed } from "../../src/torch/index.js";
import { mnistLoaders, silent, smallNet } from "./small-training.js";

function withFolder(body: (folder: string) => Promise<void>): Promise<void> {
  const folder = mkdtempSync(path.join(tmpdir(), "residual-lab-test-"));
  return body(folder).finally(() => rmSync(folder, { recursive: true, force: true }));
}

/** Fails the fit at the start of one epoch, as a killed process would stop it. */
class InterruptAtEpoch extends Callback {
  constructor(readonly epoch: number) {
    super();
  }
  override beforeEpoch(learner: LearnerType): void {
    if (learner.epoch === this.epoch) throw new Error(`interrupted before epoch ${this.epoch}`);
  }
}

function newLearner(seed: number): Learner {
  manualSeed(seed);
  return new Learner(mnistLoaders(96, 32), smallNet(), { logger: silent });
}

test("resume continues from checkpoint epoch", () =>
  withFolder(async (folder) => {
    const file = path.join(folder, "run.safetensors");
    const full = newLearner(0);
    await full.fit(3, 1e-2);

    const interrupted = newLearner(0);
    await assert.rejects(interrupted.fit(3, 1e-2, { callbacks: [new CheckpointCallback(file), new InterruptAtEpoch(2)] }), /interrupted before epoch 2/);

    // Another seed gives other initial weights: only the checkpoint can make the losses match.
    const resumed = newLearner(1);
    const contents = resumed.load(file);
    assert.equal(contents.epochsDone, 2);
    await resumed.fit(3, 1e-2, { startEpoch: contents.epochsDone });

    assert.deepEqual(resumed.recorder.rows.map((row) => row.epoch), [0, 1, 2]);
    assert.deepEqual(resumed.recorder.rows.slice(0, 2), interrupted.recorder.rows);
    assert.deepEqual(resumed.recorder.losses, full.recorder.losses.slice(6));
    assert.equal(resumed.recorder.rows[2].validLoss, full.recorder.rows[2].validLoss);
  }));

test("load can skip optimizer and rows", () =>
  withFolder(async (folder) => {
    const file = path.join(folder, "model.safetensors");
    const trained = newLearner(0);
    await trained.fit(1, 1e-2);
    trained.save(file, {}, { withOptimizer: false });

    const fresh = newLearner(1);
    const contents = fresh.load(file, { withRows: false });
    assert.equal(fresh.optimizer, null, "no optimizer state was saved");
    assert.equal(fresh.recorder.rows.length, 0);
    assert.equal(contents.rows.length, 1);
  }));

test("save and load give same predictions", () =>
  withFolder(async (folder) => {
    const file = path.join(folder, "model.safetensors");
    const trained = newLearner(0);
    await trained.fit(1, 1e-2);
    trained.save(file);

    const restored = newLearner(1);
    const before = await restored.getPreds();
    const expected = await trained.getPreds();
    assert.notDeepEqual(before.probabilities.toNumbers(), expected.probabilities.toNumbers(), "another seed predicts otherwise");

    restored.load(file);
    const after = await restored.getPreds();
    assert.deepEqual(after.probabilities.toNumbers(), expected.probabilities.toNumbers());
    assert.deepEqual(after.targets.toNumbers(), expected.targets.toNumbers());

    // The optimizer state came back too: one more epoch on each gives the same losses.
    await trained.fit(1, 1e-2);
    await restored.fit(1, 1e-2);
    assert.deepEqual(restored.recorder.losses, trained.recorder.losses.slice(3));
  }));
