import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { CancelFitError, CheckpointCallback, Learner, LRFinder, lrFindPlotSvg, writeLrFindPlot, type EpochLogger, type Learner as LearnerType } from "../../src/learner/index.js";
import { manualSeed, type Tensor } from "../../src/torch/index.js";
import { mnistLoaders, silent, smallNet } from "./small-training.js";

function snapshot(tensors: Map<string, Tensor>): Map<string, number[]> {
  return new Map([...tensors].map(([name, value]) => [name, value.toNumbers()]));
}

function temporaryFolder(): string {
  return mkdtempSync(path.join(tmpdir(), "residual-lab-test-"));
}

test("lrFind ramps the lr exponentially", async () => {
  manualSeed(0);
  const learn = new Learner(mnistLoaders(320, 32), smallNet(), { logger: silent });
  const result = await learn.lrFind({ numIterations: 20, endLr: 1e-1 });
  assert.equal(result.lrs.length, 20);
  result.lrs.forEach((lr, i) => {
    const expected = 1e-7 * 1e6 ** (i / 20);
    assert.ok(Math.abs(lr - expected) <= 1e-9 * expected, `lr[${i}] ${lr}, expected ${expected}`);
  });
  assert.equal(result.losses.length, 20);
  for (const name of ["valley", "minimum", "steep"] as const) {
    assert.ok(result[name] > 0 && result[name] < 1e-1, `${name}: ${result[name]}`);
  }
  // 20 iterations keep 13 points after trimming, fewer than slide's 16.
  assert.ok(Number.isNaN(result.slide));
});

test("lrFind restores model, optimizer and recorder", async () => {
  let rowsLogged = 0;
  const logger: EpochLogger = { row: () => void rowsLogged++ };
  const folder = temporaryFolder();
  const checkpoint = path.join(folder, "every-epoch.safetensors");
  try {
    const learn = new Learner(mnistLoaders(64, 32), smallNet(), { logger, callbacks: [new CheckpointCallback(checkpoint)] });
    await learn.fit(1);
    rmSync(checkpoint);
    const model = snapshot(learn.model.stateDict());
    const optimizerState = learn.optimizer!.stateDict();
    const exponentialAverages = optimizerState.entries.map((entry) => entry?.buffers.exp_avg.toNumbers());
    const recorded = { losses: [...learn.recorder.losses], lrs: [...learn.recorder.lrs], rows: learn.recorder.rows.length };

    await learn.lrFind({ numIterations: 10 });

    assert.deepEqual(snapshot(learn.model.stateDict()), model);
    const after = learn.optimizer!.stateDict();
    assert.deepEqual(after.entries.map((entry) => entry?.buffers.exp_avg.toNumbers()), exponentialAverages);
    assert.equal(learn.optimizer!.lr, 1e-3);
    assert.deepEqual(learn.recorder.losses, recorded.losses);
    assert.deepEqual(learn.recorder.lrs, recorded.lrs);
    assert.equal(learn.recorder.rows.length, recorded.rows);
    assert.equal(rowsLogged, 1, "lrFind logs no table rows");
    assert.equal(existsSync(checkpoint), false, "lrFind writes no checkpoint");
    assert.equal(learn.findingLr, false);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test("lrFind leaves no optimizer behind", async () => {
  const learn = new Learner(mnistLoaders(64, 32), smallNet(), { logger: silent });
  await learn.lrFind({ numIterations: 6 });
  assert.equal(learn.optimizer, null);
});

test("lrFind rejects bad options", async () => {
  const learn = new Learner(mnistLoaders(64, 32), smallNet(), { logger: silent });
  await assert.rejects(learn.lrFind({ startLr: 0 }), /startLr/);
  await assert.rejects(learn.lrFind({ startLr: 1, endLr: 0.5 }), /endLr/);
  await assert.rejects(learn.lrFind({ numIterations: 2.5 }), /numIterations/);
});

/** A stand-in learner that reports the smoothed losses it is given. */
function fakeLearner(): { learner: LearnerType; setLoss: (loss: number) => void } {
  let smoothLoss = 0;
  let lr = 0;
  const optimizer = {
    get lr() {
      return lr;
    },
    momentum: 0.9,
    setHyperparameters: (values: { lr?: number }) => {
      if (values.lr !== undefined) lr = values.lr;
    },
  };
  const learner = { recorder: { get smoothLoss() { return smoothLoss; } }, optimizer } as unknown as LearnerType;
  return { learner, setLoss: (loss) => void (smoothLoss = loss) };
}

test("LRFinder stops past 4x the best loss", () => {
  const { learner, setLoss } = fakeLearner();
  const finder = new LRFinder({ numIterations: 100 });
  finder.beforeFit();
  for (const loss of [1, 0.9, 0.8, 3.2]) {
    finder.beforeBatch(learner);
    setLoss(loss);
    finder.afterBatch(learner);
  }
  finder.beforeBatch(learner);
  setLoss(3.3);
  assert.throws(() => finder.afterBatch(learner), CancelFitError);
  assert.deepEqual(finder.losses, [1, 0.9, 0.8, 3.2, 3.3]);
});

test("LRFinder without stopDiv runs on", () => {
  const { learner, setLoss } = fakeLearner();
  const finder = new LRFinder({ numIterations: 6, stopDiv: false });
  finder.beforeFit();
  for (const loss of [1, 5, 50, Number.NaN, 1e9]) {
    finder.beforeBatch(learner);
    setLoss(loss);
    finder.afterBatch(learner);
  }
  finder.beforeBatch(learner);
  setLoss(2);
  assert.throws(() => finder.afterBatch(learner), /all iterations done/);
});

test("lrFind plot marks suggestions", () => {
  const lrs = Array.from({ length: 30 }, (_, i) => 1e-6 * 10 ** (i / 5));
  const losses = lrs.map((_, i) => 2 - Math.sin(i / 10));
  const svg = lrFindPlotSvg({
    valley: 1e-4,
    minimum: 1e-3,
    steep: 1e-5,
    slide: Number.NaN,
    points: { valley: { lr: 1e-4, loss: 1.8 }, minimum: { lr: 1e-2, loss: 1 }, steep: { lr: 1e-5, loss: 1.9 }, slide: { lr: Number.NaN, loss: Number.NaN } },
    lrs,
    losses,
  });
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<polyline points="[\d., ]+"/);
  assert.match(svg, />1e-6</);
  assert.match(svg, /valley: 1e-4/);
  assert.doesNotMatch(svg, /slide:/, "a NaN suggestion is left out");
  assert.doesNotMatch(svg, /NaN/);

  const folder = temporaryFolder();
  try {
    const file = path.join(folder, "lr-find.svg");
    writeLrFindPlot({ valley: 1, minimum: 1, steep: 1, slide: 1, points: { valley: { lr: 1, loss: 1 }, minimum: { lr: 1, loss: 1 }, steep: { lr: 1, loss: 1 }, slide: { lr: 1, loss: 1 } }, lrs: [], losses: [] }, file);
    assert.match(readFileSync(file, "utf8"), /<\/svg>/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
