// A trained net whose run was stopped after an epoch resumes from its checkpoint with the
// training errors, losses and gradient norms of the epochs before the stop; a moved run folder
// keeps its nets.
import assert from "node:assert/strict";
import { mkdtempSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { loadTrainedNet, RunFolder, trainNet, type NetSpec } from "../../src/experiments/index.js";

const spec: NetSpec = {
  dataset: "mnist",
  depth: 8,
  residual: true,
  seed: 0,
  shortcut: "A",
  preActivation: false,
  epochs: 3,
  trainLimit: 128,
  validLimit: 64,
  batchSize: 32,
  lr: 0.05,
  weightDecay: 1e-4,
  schedule: "one-cycle",
  gradientEvery: 3,
};

function folder(): RunFolder {
  return new RunFolder(mkdtempSync(path.join(os.tmpdir(), "residual-lab-trained-nets-")));
}

test("resumed net keeps its records", async () => {
  const whole = await trainNet(spec, folder(), () => undefined);

  // The logger reports an epoch after its checkpoint is written, so this stop leaves a checkpoint
  // after epoch 2 and the rerun trains epoch 3 alone.
  const stopped = folder();
  await assert.rejects(
    trainNet(spec, stopped, (message) => {
      if (message.includes("epoch 2/3")) throw new Error("stopped");
    }),
    /stopped/,
  );
  const resumed = await trainNet(spec, stopped, () => undefined);

  assert.equal(resumed.history.length, 3);
  for (const epoch of resumed.history) assert.ok(Number.isFinite(epoch.trainError), `epoch ${epoch.epoch}: training error ${epoch.trainError}`);
  assert.equal(resumed.losses.length, whole.losses.length);
  assert.deepEqual(
    resumed.gradientNorms.map((sample) => sample.iteration),
    whole.gradientNorms.map((sample) => sample.iteration),
  );
});

test("moved run folder finds weights", async () => {
  const original = folder();
  const trained = await trainNet({ ...spec, epochs: 1 }, original, () => undefined);
  const moved = `${original.root}-moved`;
  renameSync(original.root, moved);

  let trainedAgain = false;
  const reused = await trainNet({ ...spec, epochs: 1 }, new RunFolder(moved), () => {
    trainedAgain = true;
  });
  assert.equal(trainedAgain, false);
  assert.ok(reused.weightsFile.startsWith(moved), reused.weightsFile);
  assert.notEqual(reused.weightsFile, trained.weightsFile);
  assert.equal(loadTrainedNet(reused).numParameters(), trained.parameters);

  rmSync(reused.weightsFile);
  assert.throws(() => loadTrainedNet(reused), /weights of mnist\/resnet-8.* are missing .*: rm .*\.json to train the net again/);
});
