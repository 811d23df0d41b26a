// The learning-rate finder, as fastai's lr_find: a mock training whose learning rate grows
// exponentially every batch, stopped when the loss diverges, then the model and optimizer are
// put back as they were and the loss curve gives the suggestions.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CancelFitError, CancelValidateError } from "./callback.js";
import type { Learner } from "./learner.js";
import { minimum, slide, steep, valley, type LrSuggestion } from "./lr-suggestions.js";
import { ParamScheduler } from "./param-scheduler.js";
import { schedExp } from "./schedules.js";

/** Options of lrFind; the defaults are fastai's lr_find. */
export interface LrFindOptions {
  /** Learning rate of the first batch. Default 1e-7. */
  startLr?: number;
  /** Learning rate that the ramp would reach after numIterations batches. Default 10. */
  endLr?: number;
  /** Batches to train at most; fewer than 6 counts as 6, as in fastai. Default 100. */
  numIterations?: number;
  /** Stop once the smoothed loss exceeds 4x the best so far (or is not finite). Default true. */
  stopDiv?: boolean;
}

/** The suggestion methods, by name. */
export type SuggestionName = "valley" | "minimum" | "steep" | "slide";

/** The outcome of lrFind. */
export interface LrFindResult {
  /** fastai's default suggestion: two thirds down the longest valley of the loss curve. */
  valley: number;
  /** A tenth of the rate at the lowest smoothed loss. */
  minimum: number;
  /** The rate where the loss falls fastest. */
  steep: number;
  /** The rate found by fastai's interval slide rule. */
  slide: number;
  /** The point of the curve that shows each suggestion, for a plot. */
  points: Record<SuggestionName, LrSuggestion["point"]>;
  /** Learning rate of every batch trained. */
  lrs: number[];
  /** Smoothed training loss after every batch trained (the curve fastai plots). */
  losses: number[];
}

/** Sets the exponential learning-rate ramp and ends the mock training (fastai's LRFinder callback). */
export class LRFinder extends ParamScheduler {
  readonly numIterations: number;
  readonly stopDiv: boolean;
  /** Learning rate of every batch trained. */
  readonly lrs: number[] = [];
  /** Smoothed loss after every batch trained. */
  readonly losses: number[] = [];
  private trainIteration = 0;
  private bestLoss = Number.POSITIVE_INFINITY;

  constructor({ startLr = 1e-7, endLr = 10, numIterations = 100, stopDiv = true }: LrFindOptions = {}) {
    super({ lr: schedExp(startLr, endLr) });
    this.numIterations = Math.max(numIterations, 6);
    this.stopDiv = stopDiv;
  }

  override beforeFit(): void {
    super.beforeFit();
    this.lrs.length = 0;
    this.losses.length = 0;
    this.trainIteration = 0;
    this.bestLoss = Number.POSITIVE_INFINITY;
  }

  override beforeBatch(learner: Learner): void {
    this.setHyperparameters(learner, this.trainIteration / this.numIterations);
  }

  // Runs after the Recorder (order 50), so the smoothed loss includes this batch.
  override afterBatch(learner: Learner): void {
    super.afterBatch(learner);
    this.trainIteration += 1;
    const smoothLoss = learner.recorder.smoothLoss;
    this.lrs.push(learner.optimizer!.lr);
    this.losses.push(smoothLoss);

    if (smoothLoss < this.bestLoss) this.bestLoss = smoothLoss;
    const diverged = smoothLoss > 4 * this.bestLoss || !Number.isFinite(smoothLoss);
    if (this.stopDiv && diverged) throw new CancelFitError("lrFind: loss diverged");
    if (this.trainIteration >= this.numIterations) throw new CancelFitError("lrFind: all iterations done");
  }

  override beforeValidate(): void {
    throw new CancelValidateError("lrFind: no validation");
  }
}

/**
 * Runs the LR finder on the learner's training data and returns the four suggestions with the
 * curve. The model and optimizer are saved to a temporary checkpoint first and loaded back at
 * the end, so the learner trains afterwards as if lrFind had not run.
 */
export async function lrFind(learner: Learner, options: LrFindOptions = {}): Promise<LrFindResult> {
  const { startLr = 1e-7, endLr = 10, numIterations = 100, stopDiv = true } = options;
  if (!(startLr > 0) || !Number.isFinite(startLr)) throw new RangeError(`lrFind: startLr must be a positive number, got ${startLr}`);
  if (!(endLr > startLr) || !Number.isFinite(endLr)) throw new RangeError(`lrFind: endLr must be a number above startLr (${startLr}), got ${endLr}`);
  if (!Number.isInteger(numIterations) || numIterations < 1) throw new RangeError(`lrFind: numIterations must be a positive integer, got ${numIterations}`);
  if (learner.isFitting) throw new Error("lrFind: this Learner is fitting; run lrFind before or after fit");

  const finder = new LRFinder({ startLr, endLr, numIterations, stopDiv });
  const epochs = Math.floor(finder.numIterations / learner.dls.train.length) + 1;
  const recorder = learner.recorder;
  const recorded = { losses: recorder.losses.length, smoothLosses: recorder.smoothLosses.length, lrs: recorder.lrs.length, validLosses: recorder.validLosses.length };
  const optimizerBefore = learner.optimizer;
  const hyperparameters = optimizerBefore ? { lr: optimizerBefore.lr, momentum: optimizerBefore.momentum } : null;

  const folder = mkdtempSync(path.join(tmpdir(), "residual-lab-lr-find-"));
  const checkpoint = path.join(folder, "before-lr-find.safetensors");
  try {
    learner.save(checkpoint);
    learner.findingLr = true;
    try {
      await learner.fit(epochs, undefined, { callbacks: [finder] });
    } finally {
      learner.findingLr = false;
      learner.load(checkpoint);
      // A learner without an optimizer gets a fresh one at its next fit, as before lrFind.
      if (hyperparameters) learner.optimizer!.setHyperparameters(hyperparameters);
      else learner.optimizer = null;
      recorder.losses.length = recorded.losses;
      recorder.smoothLosses.length = recorded.smoothLosses;
      recorder.lrs.length = recorded.lrs;
      recorder.validLosses.length = recorded.validLosses;
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }

  return lrFindResult(finder.lrs, finder.losses, numIterations);
}

/**
 * Computes the suggestions from a finder's curve as fastai's lr_find does: without the first
 * tenth of numIterations and the last 5 points, and cut before the first NaN loss.
 */
export function lrFindResult(lrs: readonly number[], losses: readonly number[], numIterations: number): LrFindResult {
  const first = Math.floor(numIterations / 10);
  let usedLrs = lrs.slice(first, Math.max(first, lrs.length - 5));
  let usedLosses = losses.slice(first, Math.max(first, losses.length - 5));
  const firstNaN = usedLosses.findIndex((loss) => Number.isNaN(loss));
  if (firstNaN >= 0) {
    usedLrs = usedLrs.slice(0, firstNaN);
    usedLosses = usedLosses.slice(0, firstNaN);
  }

  const suggestions = {
    valley: valley(usedLrs, usedLosses),
    minimum: minimum(usedLrs, usedLosses),
    steep: steep(usedLrs, usedLosses),
    slide: slide(usedLrs, usedLosses),
  };
  return {
    valley: suggestions.valley.lr,
    minimum: suggestions.minimum.lr,
    steep: suggestions.steep.lr,
    slide: suggestions.slide.lr,
    points: {
      valley: suggestions.valley.point,
      minimum: suggestions.minimum.point,
      steep: suggestions.steep.point,
      slide: suggestions.slide.point,
    },
    lrs: [...lrs],
    losses: [...losses],
  };
}
