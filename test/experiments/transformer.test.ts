import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { defaultDevilsDictionaryFolder, hasDevilsDictionary } from "../../src/data/devils-dictionary.js";
import { RunFolder } from "../../src/experiments/run-folder.js";
import { checkRankCollapse, compareDepths, conclude, transformer, type AttentionOnlyRun, type TransformerExperimentConfig } from "../../src/experiments/transformer.js";
import { learningRateAt, type TransformerRun } from "../../src/experiments/transformer-training.js";
import { getNumThreads, setNumThreads } from "../../src/torch/index.js";

const root = mkdtempSync(path.join(os.tmpdir(), "transformer-experiment-"));
after(() => rmSync(root, { recursive: true, force: true }));

function tinyConfig(): TransformerExperimentConfig {
  const quick = transformer.configFor("quick", { depths: [1, 3], seeds: [0, 1] });
  const training = { steps: 6, batchSize: 8, learningRate: 3e-3, warmupSteps: 2, weightDecay: 0.1, logEvery: 2, evalEvery: 3 };
  return {
    ...quick,
    model: { dModel: 16, nHeads: 2, mlpRatio: 2, norm: "pre" },
    training: { sorting: training, "devils-dictionary": training },
    sorting: { length: 4, digits: 5, validCount: 40 },
    probeSequences: 4,
    attentionOnlyDepths: [1, 4],
  };
}

test("transformer runs end to end", async () => {
  const config = tinyConfig();
  const logs: string[] = [];
  const folder = new RunFolder(path.join(root, "end-to-end"));
  const data = await transformer.run(config, { profile: "quick", folder, log: (message) => logs.push(message) });

  assert.equal(data.runs.length, 2 * 2 * 2);
  for (const run of data.runs) {
    assert.equal(run.trainLoss.length, 3, "one training loss per logging interval");
    assert.equal(run.gradientNorms[0].step, 1);
    assert.equal(run.gradientNorms[0].perLayer.length, run.depth + 2, "embeddings, blocks, head");
    assert.ok(run.gradientNorms[0].perLayer.every((norm) => Number.isFinite(norm) && norm > 0));
    assert.equal(run.atInit.rank1Residual.length, run.depth + 1);
    assert.equal(run.trained?.rank1Residual.length, run.depth + 1);
    assert.equal(run.evaluations.length, 2, "one mid-run evaluation and the final one");
    assert.ok(run.final.loss !== null, "final loss missing");
    assert.ok(run.final.loss > 0, `final loss ${run.final.loss}`);
    assert.ok(run.final.accuracy !== null, "final accuracy missing");
    assert.ok(run.final.accuracy >= 0, `accuracy ${run.final.accuracy}`);
    assert.ok(run.final.accuracy <= 1, `accuracy ${run.final.accuracy}`);
    assert.ok(run.final.sequenceAccuracy !== null);
  }

  assert.equal(data.attentionOnly.length, 2 * 2 * 2);
  assert.deepEqual(data.comparisons.map((comparison) => comparison.depth), [1, 3]);
  for (const comparison of data.comparisons) {
    assert.equal(comparison.gradientNorms.firstStep.residual.length, comparison.depth + 2);
    assert.equal(comparison.gradientNorms.lastStep.plain.length, comparison.depth + 2);
    assert.ok(comparison.gradientNorms.lastStep.plain.every(Number.isFinite));
  }
  assert.deepEqual(data.rankCollapse.map((check) => check.depths), [[1, 4]]);
  assert.ok(data.conclusions.length > 0);
  assert.match(data.paperClaim.citation, /Dong, Jean-Baptiste Cordonnier and Andreas Loukas/);
  assert.deepEqual(JSON.parse(JSON.stringify(data)), data, "result must survive JSON");

  // A second run reuses every cached part.
  const again = await transformer.run(config, { profile: "quick", folder, log: (message) => logs.push(message) });
  assert.deepEqual(again.runs, data.runs);
  assert.equal(readdirSync(path.join(folder.root, "parts")).length, 16);
  assert.ok(logs.some((line) => line.includes("(reused)")));
});

const textMissing = hasDevilsDictionary() ? false : `${defaultDevilsDictionaryFolder}/devil.dict.dz not installed (apt-get install dict-devil)`;

test("text task trains on the book", { skip: textMissing }, async () => {
  const config = { ...tinyConfig(), tasks: ["devils-dictionary" as const], depths: [2], seeds: [0], attentionOnlyDepths: [2] };
  config.text = { contextLength: 8, validWindows: 16, folder: defaultDevilsDictionaryFolder };
  const data = await transformer.run(config, { profile: "quick", folder: new RunFolder(path.join(root, "text")), log: () => undefined });

  assert.equal(data.runs.length, 2);
  assert.equal(data.skipped.length, 0);
  for (const run of data.runs) {
    assert.equal(run.task, "devils-dictionary");
    assert.ok(run.final.loss !== null, "final loss missing");
    assert.ok(run.final.loss < Math.log(100), `loss ${run.final.loss}`);
    assert.equal(run.final.sequenceAccuracy, null);
  }
});

test("thread count is restored after a run", async () => {
  const previous = getNumThreads();
  setNumThreads(2);
  try {
    const config = { ...tinyConfig(), depths: [1], seeds: [0], attentionOnlyDepths: [1], threads: 1 };
    await transformer.run(config, { profile: "quick", folder: new RunFolder(path.join(root, "threads")), log: () => undefined });
    assert.equal(getNumThreads(), 2);
  } finally {
    setNumThreads(previous);
  }
});

test("missing text skips its task", async () => {
  const config = { ...tinyConfig(), tasks: ["devils-dictionary" as const], text: { contextLength: 8, validWindows: 4, folder: path.join(root, "no-such-folder") } };
  const data = await transformer.run(config, { profile: "quick", folder: new RunFolder(path.join(root, "skip")), log: () => undefined });
  assert.equal(data.runs.length, 0);
  assert.equal(data.skipped.length, 1);
  assert.match(data.skipped[0].reason, /dict-devil/);
});

test("profiles and overrides", () => {
  const quick = transformer.configFor("quick", {});
  const full = transformer.configFor("full", {});
  assert.deepEqual(quick.depths, [1, 2, 4, 8]);
  assert.deepEqual(full.depths, [2, 4, 8, 16]);
  assert.deepEqual(quick.seeds, [0, 1]);
  assert.deepEqual(full.tasks, ["sorting", "devils-dictionary"]);

  assert.deepEqual(transformer.configFor("quick", { datasets: ["devils-dictionary"] }).tasks, ["devils-dictionary"]);
  assert.deepEqual(transformer.configFor("quick", { datasets: ["mnist"] }).tasks, quick.tasks, "other experiments' datasets are ignored");
  assert.deepEqual(transformer.configFor("full", { depths: [3], seeds: [5] }).depths, [3]);
});

/** Makes a run with the given final loss (null: diverged) and last-layer rank residual. */
function fakeRun(depth: number, residual: boolean, seed: number, loss: number | null, rank: number): TransformerRun {
  const ranks = { rank1Residual: [0.9, rank], uniformityResidual: [0.9, rank] };
  return {
    task: "sorting",
    norm: "pre",
    depth,
    residual,
    seed,
    parameters: 1,
    trainLoss: [],
    gradientNorms: [],
    evaluations: [],
    final: { step: 1, loss, accuracy: loss === null ? null : 1 - loss / 3, sequenceAccuracy: null },
    atInit: ranks,
    trained: loss === null ? null : ranks,
    diverged: loss === null,
  };
}

test("comparisons call gaps within spread inconclusive", () => {
  const clear = compareDepths([fakeRun(2, true, 0, 0.1, 0.7), fakeRun(2, true, 1, 0.12, 0.71), fakeRun(2, false, 0, 2.3, 1e-7), fakeRun(2, false, 1, 2.31, 2e-7)]);
  assert.equal(clear[0].finalLoss.better, "residual");
  assert.equal(clear[0].finalAccuracy.better, "residual");
  assert.equal(clear[0].lastLayerRankTrained.better, "residual");

  const overlapping = compareDepths([fakeRun(2, true, 0, 0.5, 0.7), fakeRun(2, true, 1, 0.9, 0.7), fakeRun(2, false, 0, 0.6, 0.7), fakeRun(2, false, 1, 1.0, 0.7)]);
  assert.equal(overlapping[0].finalLoss.better, "inconclusive");
  assert.ok(conclude(overlapping, []).some((line) => line.includes("inconclusive")));

  const singleSeed = compareDepths([fakeRun(2, true, 0, 0.1, 0.7), fakeRun(2, false, 0, 2.3, 1e-7)]);
  assert.equal(singleSeed[0].finalLoss.better, "inconclusive");
  assert.ok(conclude(singleSeed, []).some((line) => line.includes("one seed per group shows no spread")));

  const diverged = compareDepths([fakeRun(2, true, 0, 0.1, 0.7), fakeRun(2, true, 1, 0.1, 0.7), fakeRun(2, false, 0, null, 0.7), fakeRun(2, false, 1, null, 0.7)]);
  assert.deepEqual(diverged[0].diverged, { residual: 0, plain: 2 });
  assert.equal(diverged[0].finalLoss.plain.n, 0);
  assert.ok(conclude(diverged, []).some((line) => line.includes("no finished run")));
});

function attentionRun(depth: number, residual: boolean, seed: number, last: number): AttentionOnlyRun {
  return { task: "sorting", depth, residual, seed, atInit: { rank1Residual: [...Array(depth).fill(0.9), last], uniformityResidual: [] } };
}

test("rank collapse verdicts", () => {
  const collapsing = checkRankCollapse([
    attentionRun(1, false, 0, 0.5), attentionRun(1, false, 1, 0.45), attentionRun(8, false, 0, 1e-3), attentionRun(8, false, 1, 2e-3),
    attentionRun(1, true, 0, 0.85), attentionRun(1, true, 1, 0.86), attentionRun(8, true, 0, 0.85), attentionRun(8, true, 1, 0.84),
  ]);
  assert.equal(collapsing[0].verdict, "agrees");
  assert.ok(conclude([], collapsing).some((line) => line.includes("agrees with the paper")));

  const notCollapsing = checkRankCollapse([
    attentionRun(1, false, 0, 0.5), attentionRun(1, false, 1, 0.45), attentionRun(8, false, 0, 0.9), attentionRun(8, false, 1, 0.95),
    attentionRun(1, true, 0, 0.5), attentionRun(1, true, 1, 0.5), attentionRun(8, true, 0, 0.3), attentionRun(8, true, 1, 0.31),
  ]);
  assert.equal(notCollapsing[0].verdict, "disagrees");

  const noisy = checkRankCollapse([
    attentionRun(1, false, 0, 0.5), attentionRun(1, false, 1, 0.1), attentionRun(8, false, 0, 0.4), attentionRun(8, false, 1, 0.05),
    attentionRun(1, true, 0, 0.5), attentionRun(1, true, 1, 0.1), attentionRun(8, true, 0, 0.4), attentionRun(8, true, 1, 0.1),
  ]);
  assert.equal(noisy[0].verdict, "inconclusive");
  assert.ok(conclude([], noisy).some((line) => line.includes("within the seed spread")));

  const singleSeed = checkRankCollapse([attentionRun(1, false, 0, 0.5), attentionRun(8, false, 0, 1e-3), attentionRun(1, true, 0, 0.9), attentionRun(8, true, 0, 0.9)]);
  assert.equal(singleSeed[0].verdict, "inconclusive");
  assert.ok(conclude([], singleSeed).some((line) => line.includes("one seed per group")));
});

test("learning rate warms up then decays", () => {
  const training = { steps: 100, batchSize: 1, learningRate: 1e-3, warmupSteps: 10, weightDecay: 0, logEvery: 1, evalEvery: 1 };
  assert.ok(Math.abs(learningRateAt(0, training) - 1e-4) < 1e-15);
  assert.ok(Math.abs(learningRateAt(9, training) - 1e-3) < 1e-15);
  assert.ok(Math.abs(learningRateAt(10, training) - 1e-3) < 1e-15);
  assert.ok(Math.abs(learningRateAt(55, training) - 5e-4) < 1e-12);
  assert.ok(learningRateAt(99, training) < 1e-5);
});
