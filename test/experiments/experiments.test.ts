import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import {
  autocorrelation,
  compareGroups,
  degradation,
  depthSweep,
  filterNormalizedDirection,
  gradientAlongLine,
  gradients,
  landscape,
  lesion,
  RunFolder,
  shattered,
  spread,
  type ExperimentContext,
  type Recipe,
} from "../../src/experiments/index.js";
import { CifarResNet, Mlp } from "../../src/models/index.js";
import { linspace, manualSeed, noGrad, randn } from "../../src/torch/index.js";

const tinyRecipe: Recipe = {
  shortcut: "A",
  preActivation: false,
  epochs: 1,
  trainLimit: 256,
  validLimit: 128,
  batchSize: 64,
  lr: 0.05,
  weightDecay: 1e-4,
  schedule: "one-cycle",
  gradientEvery: 1,
};

function context(): ExperimentContext {
  const root = mkdtempSync(path.join(os.tmpdir(), "residual-lab-experiments-"));
  return { profile: "quick", folder: new RunFolder(path.join(root, "quick", "test")), log: () => undefined };
}

// One shared context: the experiments below reuse the nets degradation trains.
const shared = context();
const tinyDegradation = { datasets: ["mnist"], depths: [8, 14], seeds: [0, 1], recipe: tinyRecipe, trainedNetsFolder: "trained-nets" };

test("degradation yields a run per net and findings", async () => {
  const data = await degradation.run(tinyDegradation, shared);
  assert.equal(data.runs.length, 2 * 2 * 2);
  for (const run of data.runs) {
    assert.equal(run.history.length, 1);
    assert.ok(Number.isFinite(run.finalTrainLoss));
    assert.ok(run.testError >= 0);
    assert.ok(run.testError <= 1);
  }
  assert.equal(data.summaries.mnist.length, 4);
  assert.deepEqual(Object.keys(data.findings[0]).sort(), ["dataset", "deepest", "plainShallowVersusDeep", "residualShallowVersusDeep", "residualVersusPlainAtDepth", "shallowest"]);
  const twins = data.runs.filter((run) => run.depth === 14 && run.seed === 0);
  assert.equal(twins[0].parameters, twins[1].parameters);
});

test("depth sweep reads degradation's nets", async () => {
  const data = await depthSweep.run(tinyDegradation, shared);
  assert.equal(data.answers.length, 1);
  assert.deepEqual(data.answers[0].gaps.map((gap) => gap.depth), [8, 14]);
  assert.equal(data.answers[0].deepestTried, 14);
});

test("gradients records every layer", async () => {
  const data = await gradients.run({ dataset: "mnist", depths: [8, 14], seeds: [0, 1], recipe: tinyRecipe, responseImages: 32, trainedNetsFolder: "trained-nets" }, shared);
  const run = data.runs.find((item) => item.depth === 14)!;
  assert.equal(run.layerNames.length, 14 - 1); // every 3x3 layer: the stem and two per block
  assert.equal(run.initialGradientNorms.length, run.layerNames.length);
  assert.equal(run.trainedResponseStd.length, run.layerNames.length);
  assert.equal(data.comparisons.length, 2);
});

test("lesion removes every block once", async () => {
  const data = await lesion.run({ datasets: ["mnist"], depth: 14, seeds: [0, 1], recipe: tinyRecipe, maxRemoved: 2, draws: 2, evalImages: 64, trainedNetsFolder: "trained-nets" }, shared);
  const residual = data.runs.find((run) => run.residual)!;
  const plain = data.runs.find((run) => !run.residual)!;
  assert.equal(residual.singleBlockErrors.length, 6);
  assert.ok(residual.singleBlockErrors.every((error) => error !== null));
  assert.equal(plain.singleBlockErrors.filter((error) => error === null).length, 2); // the two downsampling blocks
  assert.equal(residual.randomRemovalErrors.length, 2);
  assert.ok(Math.abs(data.comparisons[0].chanceError - 0.9) < 1e-12);
});

test("landscape slices are centred on the trained loss", async () => {
  const data = await landscape.run(
    { dataset: "mnist", depths: [8], seeds: [0, 1], recipe: tinyRecipe, lossImages: 32, points1d: 5, points2d: 3, trainedNetsFolder: "trained-nets" },
    shared,
  );
  const first = data.runs.find((run) => run.seed === 0 && run.residual)!;
  assert.equal(first.losses1d.length, 5);
  assert.equal(first.losses2d!.length, 3);
  assert.ok(Math.abs(first.losses1d[2] - first.losses2d![1][1]) < 1e-5, "alpha = beta = 0 is the trained point in both slices");
  assert.equal(data.runs.find((run) => run.seed === 1)!.losses2d, null);
});

test("shattered runs every depth and twin", async () => {
  const data = await shattered.run({ depths: [2, 4], seeds: [0, 1], points: 64, width: 16, maxLag: 4 }, context());
  assert.equal(data.runs.length, 2 * 2 * 2);
  for (const run of data.runs) {
    assert.equal(run.autocorrelation.length, 5);
    assert.ok(Math.abs(run.autocorrelation[0] - 1) < 1e-9);
  }
});

test("run folder tallies reused parts", async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "residual-lab-tally-"));
  const pause = () => new Promise((resolve) => setTimeout(resolve, 30));
  const first = new RunFolder(path.join(root, "quick", "first"));
  await first.part("slow", async () => {
    await pause();
    return 1;
  });
  const recorded = first.readPart<{ seconds: number }>("slow").seconds;
  assert.ok(recorded >= 0.025);
  assert.equal(first.partSeconds, recorded);

  const again = new RunFolder(path.join(root, "quick", "first"));
  const { value, reused } = await again.part("slow", async () => 2);
  assert.equal(value, 1);
  assert.equal(reused, true);
  assert.equal(again.partSeconds, recorded);

  const sibling = again.sibling("nets");
  assert.equal(sibling.root, path.join(root, "quick", "nets"));
  await sibling.part("net", async () => {
    await pause();
    return 3;
  });
  assert.equal(again.partSeconds, recorded + sibling.readPart<{ seconds: number }>("net").seconds);
});

test("unreadable part names its file", async () => {
  const folder = new RunFolder(mkdtempSync(path.join(os.tmpdir(), "residual-lab-corrupt-")));
  await folder.part("net", async () => 1);
  writeFileSync(folder.partPath("net"), "{not json");

  await assert.rejects(folder.part("net", async () => 2), (error: Error) => error.message.includes(folder.partPath("net")) && /delete it/.test(error.message));
  assert.equal(readFileSync(folder.partPath("net"), "utf8"), "{not json");
});

test("plain twin has the residual net's parameters", () => {
  manualSeed(3);
  const residual = new CifarResNet({ depth: 20 });
  manualSeed(3);
  const plain = new CifarResNet({ depth: 20, residual: false });
  const residualParameters = residual.namedParameters();
  const plainParameters = plain.namedParameters();
  assert.deepEqual(plainParameters.map(([name]) => name), residualParameters.map(([name]) => name));
  plainParameters.forEach(([, parameter], index) => assert.deepEqual(parameter.toNumbers(), residualParameters[index][1].toNumbers()));
});

test("twins differ only by the shortcut", () => {
  manualSeed(4);
  const residual = new CifarResNet({ depth: 14 }).eval();
  manualSeed(4);
  const plain = new CifarResNet({ depth: 14, residual: false }).eval();
  const [residualBlock, plainBlock] = [residual.blocks[3], plain.blocks[3]]; // 32 channels in, 32 out
  const input32 = randn([2, 32, 14, 14]);
  const [withShortcut, withoutShortcut, branch] = noGrad(() => [
    residualBlock.forward(input32),
    plainBlock.forward(input32),
    residualBlock.branchWithResponses(input32).branch,
  ]);
  assert.deepEqual(withoutShortcut.toNumbers(), branch.relu().toNumbers());
  assert.deepEqual(withShortcut.toNumbers(), branch.add(input32).relu().toNumbers());
});

test("removed block equals the identity", () => {
  manualSeed(5);
  const model = new CifarResNet({ depth: 14 }).eval();
  const input = randn([2, 1, 28, 28]);
  model.setRemovedBlocks([1]);
  const removed = noGrad(() => model.forward(input));

  // The same net computed by hand with block 1 skipped.
  const expected = noGrad(() => {
    let x = model.stemNorm.forward(model.stem.forward(input)).relu();
    model.blocks.forEach((block, index) => {
      if (index !== 1) {
        block.removed = false;
        x = block.forward(x);
      }
    });
    return model.fc.forward(model.pool.forward(x).flatten(1));
  });
  assert.deepEqual(removed.toNumbers(), expected.toNumbers());
});

test("plain block that changes shape cannot be removed", () => {
  const model = new CifarResNet({ depth: 14, residual: false });
  model.setRemovedBlocks([2]);
  assert.throws(() => noGrad(() => model.forward(randn([1, 1, 28, 28]))), /cannot be removed/);
});

test("filter-normalised direction matches filter norms", () => {
  manualSeed(6);
  const model = new CifarResNet({ depth: 8 });
  const named = model.namedParameters();
  const directions = filterNormalizedDirection(named);
  named.forEach(([name, weight], index) => {
    const direction = directions[index];
    if (weight.ndim < 2) {
      assert.equal(direction.abs().max().item(), 0, `${name} is left out`);
      return;
    }
    const norms = (t: typeof weight) => t.flatten(1).square().sum(1).sqrt().toNumbers();
    const expected = norms(weight);
    norms(direction).forEach((norm, filter) => assert.ok(Math.abs(norm - expected[filter]) <= 1e-4 * expected[filter], `${name} filter ${filter}`));
  });
});

test("autocorrelation of a cosine matches its closed form", () => {
  // g_i = cos(w i) over a whole number of periods has mean 0 and Σ g_i² = n/2, and with m = n - k
  // Σ_{i<m} g_i g_{i+k} = (m cos(wk) + sin(mw) cos(w(m - 1 + k)) / sin(w)) / 2.
  const n = 1000;
  const w = (2 * Math.PI) / 50;
  const values = Array.from({ length: n }, (_, i) => Math.cos(w * i));
  const r = autocorrelation(values, 10);
  for (let k = 0; k <= 10; k++) {
    const m = n - k;
    const expected = (m * Math.cos(w * k) + (Math.sin(m * w) * Math.cos(w * (m - 1 + k))) / Math.sin(w)) / n;
    assert.ok(Math.abs(r[k] - expected) < 1e-9, `lag ${k}: ${r[k]}, expected ${expected}`);
  }
});

test("gradient along a line matches a known derivative", () => {
  // A net with no blocks is input Linear -> output Linear: f(x) = w2 (w1 x + b1) + b2, f' = w2 · w1.
  manualSeed(7);
  const model = new Mlp({ inFeatures: 1, width: 4, depth: 0, outFeatures: 1 });
  const w1 = model.input.weight.toNumbers();
  const w2 = model.output.weight.toNumbers();
  const slope = w1.reduce((total, value, i) => total + value * w2[i], 0);
  const gradient = gradientAlongLine(model, linspace(-1, 1, 8).unsqueeze(1));
  gradient.forEach((value) => assert.ok(Math.abs(value - slope) < 1e-6));
});

test("comparison needs a gap beyond the spread", () => {
  assert.equal(compareGroups([1, 1.1], [2, 2.1]), "a");
  assert.equal(compareGroups([2, 2.1], [1, 1.1]), "b");
  assert.equal(compareGroups([1, 2], [1.5, 2.5]), "inconclusive");
  assert.equal(compareGroups([1], [2]), "inconclusive");
  assert.deepEqual(spread([1, 3]), { mean: 2, std: Math.SQRT2, min: 1, max: 3, n: 2 });
});
