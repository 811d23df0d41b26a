// Hyperparameter schedules as fastai's callback.schedule defines them: each maps the position in
// training, from 0 (first batch) to 1 (end of training), to a value.

/** A schedule: position in [0, 1] to a hyperparameter value. */
export type Schedule = (position: number) => number;

/** Linear from `start` to `end` (fastai's SchedLin). */
export function schedLin(start: number, end: number): Schedule {
  return (position) => start + position * (end - start);
}

/** Half a cosine from `start` to `end`: flat at both ends, steepest in the middle (fastai's SchedCos). */
export function schedCos(start: number, end: number): Schedule {
  return (position) => start + ((1 + Math.cos(Math.PI * (1 - position))) * (end - start)) / 2;
}

/** Constant at `start` (fastai's SchedNo, which also takes an unused `end`). */
export function schedNo(start: number, _end?: number): Schedule {
  return () => start;
}

/** Exponential from `start` to `end`, linear on a log scale (fastai's SchedExp, used by the LR finder). */
export function schedExp(start: number, end: number): Schedule {
  return (position) => start * (end / start) ** position;
}

/** start + (end - start) · position^power (fastai's SchedPoly). */
export function schedPoly(start: number, end: number, power: number): Schedule {
  return (position) => start + (end - start) * position ** power;
}

/**
 * Chains schedules: schedule i runs over a fraction `fractions[i]` of training, and receives its
 * own position from 0 to 1 over that stretch (fastai's combine_scheds). The fractions must be
 * non-negative and add up to 1.
 */
export function combineScheds(fractions: readonly number[], schedules: readonly Schedule[]): Schedule {
  if (fractions.length === 0 || fractions.length !== schedules.length) {
    throw new RangeError(`combineScheds: expected one fraction per schedule, got ${fractions.length} fractions and ${schedules.length} schedules`);
  }
  if (fractions.some((fraction) => !(fraction >= 0))) throw new RangeError(`combineScheds: fractions must be non-negative, got [${fractions.join(", ")}]`);
  const total = fractions.reduce((sum, fraction) => sum + fraction, 0);
  if (Math.abs(total - 1) > 1e-9) throw new RangeError(`combineScheds: fractions must add up to 1, got ${total}`);

  // Boundaries of the stretches: [0, f0, f0 + f1, ..., 1].
  const boundaries = [0];
  for (const fraction of fractions) boundaries.push(boundaries[boundaries.length - 1] + fraction);
  const lastIndex = schedules.length - 1;

  return (position) => {
    // The last stretch whose start is at or before the position, as fastai picks it.
    let index = 0;
    for (let i = 0; i <= lastIndex; i++) if (position >= boundaries[i]) index = i;
    const width = boundaries[index + 1] - boundaries[index];

    // A zero-width stretch is only ever picked at its own start, which is also its end.
    const localPosition = width > 0 ? (position - boundaries[index]) / width : 1;
    return schedules[index](localPosition);
  };
}

/**
 * Cosine from `start` to `middle` over the first `fraction` of training, then cosine from
 * `middle` to `end` (fastai's combined_cos, the shape of the one-cycle policy).
 */
export function combinedCos(fraction: number, start: number, middle: number, end: number): Schedule {
  return combineScheds([fraction, 1 - fraction], [schedCos(start, middle), schedCos(middle, end)]);
}
