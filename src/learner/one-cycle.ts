// fit_one_cycle: Leslie Smith's 1cycle policy with fastai's cosine shape and defaults.
import type { Callback } from "./callback.js";
import type { Learner } from "./learner.js";
import { ParamScheduler } from "./param-scheduler.js";
import { combinedCos } from "./schedules.js";

/** Options of fitOneCycle. The defaults are those of fastai's fit_one_cycle. */
export interface FitOneCycleOptions {
  /** The learning rate starts at lrMax / divFactor. Default 25 (fastai's div). */
  divFactor?: number;
  /** The learning rate ends at lrMax / finalDiv. Default 1e5 (fastai's div_final). */
  finalDiv?: number;
  /** Fraction of the training batches spent warming up to lrMax. Default 0.25. */
  pctStart?: number;
  /** Momentum (Adam: beta1) at the start, at the peak of the learning rate and at the end. Default [0.95, 0.85, 0.95]. */
  moms?: readonly [number, number, number];
  /** Weight decay for this fit. Default: the learner's. */
  wd?: number;
  /** Callbacks added for this fit only. */
  callbacks?: readonly Callback[];
  /** Epochs a resumed run has already done, as in fit. Default 0. */
  startEpoch?: number;
}

/**
 * Trains for nEpoch epochs with the 1cycle policy, updated before every training batch. The
 * learning rate rises along a half cosine from lrMax/divFactor to lrMax over the first pctStart
 * of the batches, then falls along a half cosine to lrMax/finalDiv. The momentum moves the
 * opposite way, from moms[0] down to moms[1] and back up to moms[2].
 */
export async function fitOneCycle(learner: Learner, nEpoch: number, lrMax: number = learner.lr, options: FitOneCycleOptions = {}): Promise<void> {
  const { divFactor = 25, finalDiv = 1e5, pctStart = 0.25, moms = [0.95, 0.85, 0.95], wd, callbacks = [], startEpoch } = options;
  if (!(lrMax > 0) || !Number.isFinite(lrMax)) throw new RangeError(`fitOneCycle: lrMax must be a positive number, got ${lrMax}`);
  if (!(divFactor > 0)) throw new RangeError(`fitOneCycle: divFactor must be positive, got ${divFactor}`);
  if (!(finalDiv > 0)) throw new RangeError(`fitOneCycle: finalDiv must be positive, got ${finalDiv}`);
  if (!(pctStart >= 0 && pctStart <= 1)) throw new RangeError(`fitOneCycle: pctStart must be in [0, 1], got ${pctStart}`);
  if (moms.length !== 3 || moms.some((momentum) => !(momentum >= 0 && momentum < 1))) {
    throw new RangeError(`fitOneCycle: moms must be three momentums in [0, 1), got [${moms.join(", ")}]`);
  }

  const scheduler = new ParamScheduler({
    lr: combinedCos(pctStart, lrMax / divFactor, lrMax, lrMax / finalDiv),
    momentum: combinedCos(pctStart, moms[0], moms[1], moms[2]),
  });
  await learner.fit(nEpoch, undefined, { wd, callbacks: [scheduler, ...callbacks], startEpoch });
}
