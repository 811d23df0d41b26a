// fastai's learning-rate suggestions (valley, slide, minimum, steep), on plain arrays of the
// LR finder's learning rates (increasing) and smoothed losses. Each returns the suggested rate
// and the point of the loss curve that a plot marks for it.

/** A suggested learning rate and the point of the curve that shows it. */
export interface LrSuggestion {
  /** The suggested learning rate; NaN when the curve has too few points for this method. */
  lr: number;
  /** The point to mark on the loss curve; for `minimum` it is the minimum itself, 10x the suggestion. */
  point: { lr: number; loss: number };
}

const noSuggestion: LrSuggestion = { lr: Number.NaN, point: { lr: Number.NaN, loss: Number.NaN } };

function checkCurve(name: string, lrs: readonly number[], losses: readonly number[]): void {
  if (lrs.length !== losses.length) throw new RangeError(`${name}: expected one loss per learning rate, got ${lrs.length} rates and ${losses.length} losses`);
}

/**
 * Finds the longest valley (the longest decreasing subsequence of losses) and suggests the
 * rate at about two thirds of the way down it: fastai's default suggestion.
 */
export function valley(lrs: readonly number[], losses: readonly number[]): LrSuggestion {
  checkCurve("valley", lrs, losses);
  const n = losses.length;
  if (n === 0) return noSuggestion;

  // lengths[i]: length of the longest decreasing subsequence that ends at i.
  const lengths = new Array<number>(n).fill(1);
  let valleyStart = 0;
  let valleyEnd = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (losses[i] < losses[j] && lengths[i] < lengths[j] + 1) lengths[i] = lengths[j] + 1;
      if (lengths[valleyEnd] < lengths[i]) {
        valleyEnd = i;
        valleyStart = valleyEnd - lengths[valleyEnd];
      }
    }
  }

  const sections = (valleyEnd - valleyStart) / 3;
  // NOTE: fastai's index can come out as -1 for a valley of two points, which Python reads as
  // the last point. This clamps it to the first point instead.
  const index = Math.max(0, valleyStart + Math.trunc(sections) + Math.trunc(sections / 2));
  return { lr: lrs[index], point: { lr: lrs[index], loss: losses[index] } };
}

/** numpy.gradient with unit spacing: central differences inside, one-sided at both ends. */
export function gradient(values: readonly number[]): number[] {
  const n = values.length;
  if (n < 2) throw new RangeError(`gradient: expected at least 2 values, got ${n}`);
  return values.map((_, i) => {
    if (i === 0) return values[1] - values[0];
    if (i === n - 1) return values[n - 1] - values[n - 2];
    return (values[i + 1] - values[i - 1]) / 2;
  });
}

/** numpy.interp: linear interpolation of (xs, ys) at x, held constant beyond both ends; xs increasing. */
export function interpolate(x: number, xs: readonly number[], ys: readonly number[]): number {
  if (x <= xs[0]) return ys[0];
  const last = xs.length - 1;
  if (x >= xs[last]) return ys[last];
  let right = 1;
  while (xs[right] < x) right++;
  const fraction = (x - xs[right - 1]) / (xs[right] - xs[right - 1]);
  return ys[right - 1] + fraction * (ys[right] - ys[right - 1]);
}

/** Options of `slide`; the defaults are fastai's. */
export interface SlideOptions {
  /** Distance in points between the two ends of the sliding interval. Default 15. */
  lrDiff?: number;
  /** Largest difference of the loss gradient at the two ends that counts as flat. Default 0.005. */
  threshold?: number;
  /** Factor applied to the rate found. Default 1. */
  adjustValue?: number;
}

/**
 * Slides an interval of `lrDiff` points from the high-rate end towards the low rates until the
 * loss gradient at its two ends differs by at most `threshold`, and suggests the rate at the
 * interval's low end (fastai's slide rule). NaN with fewer than lrDiff + 1 points.
 */
export function slide(lrs: readonly number[], losses: readonly number[], { lrDiff = 15, threshold = 0.005, adjustValue = 1 }: SlideOptions = {}): LrSuggestion {
  checkCurve("slide", lrs, losses);
  const n = losses.length;
  if (n < lrDiff + 1 || n < 2) return noSuggestion;

  const lossGradient = gradient(losses);
  let right = n - 1;
  let left = right - lrDiff;
  let localMinimumLr = lrs[left];
  while (left >= 0 && Math.abs(lossGradient[right] - lossGradient[left]) > threshold) {
    localMinimumLr = lrs[left];
    right -= 1;
    left -= 1;
  }

  const suggestion = localMinimumLr * adjustValue;
  const loss = interpolate(Math.log10(suggestion), lrs.map(Math.log10), losses);
  return { lr: suggestion, point: { lr: suggestion, loss } };
}

/** Suggests a tenth of the rate at the lowest loss (fastai's minimum). */
export function minimum(lrs: readonly number[], losses: readonly number[]): LrSuggestion {
  checkCurve("minimum", lrs, losses);
  if (losses.length === 0) return noSuggestion;

  let lowest = 0;
  for (let i = 1; i < losses.length; i++) if (losses[i] < losses[lowest]) lowest = i;
  return { lr: lrs[lowest] / 10, point: { lr: lrs[lowest], loss: losses[lowest] } };
}

/** Suggests the rate where the loss falls fastest per unit of log(lr) (fastai's steep). NaN with fewer than 2 points. */
export function steep(lrs: readonly number[], losses: readonly number[]): LrSuggestion {
  checkCurve("steep", lrs, losses);
  if (losses.length < 2) return noSuggestion;

  let steepest = 0;
  let steepestSlope = Number.POSITIVE_INFINITY;
  for (let i = 0; i + 1 < losses.length; i++) {
    const slope = (losses[i + 1] - losses[i]) / (Math.log(lrs[i + 1]) - Math.log(lrs[i]));
    if (slope < steepestSlope) {
      steepestSlope = slope;
      steepest = i;
    }
  }
  return { lr: lrs[steepest], point: { lr: lrs[steepest], loss: losses[steepest] } };
}
