// An algorithmic task for sequence models: sort a short sequence of digits. Examples are made
// here from a seed, so the task needs no download and every run gets the same data.
import { Mulberry32 } from "./random.js";
import { tokenTensor, type TokenSequences } from "./token-sequences.js";

export interface DigitSortingOptions {
  /** Number of examples. */
  count: number;
  /** Digits per sequence; default 8. */
  length?: number;
  /** Distinct digit values 0..digits-1; default 10. */
  digits?: number;
  /** Seed of the generator that draws the digits; default 0. */
  seed?: number;
}

/** The layout of one sorting example, shared by every example of a task. */
export interface DigitSortingLayout {
  length: number;
  digits: number;
  /** Token id of the separator between the unsorted and the sorted half: `digits`. */
  separator: number;
  /** digits + 1: the digit ids and the separator. */
  vocabSize: number;
  /** 2 · length input tokens per example. */
  sequenceLength: number;
}

export function digitSortingLayout({ length = 8, digits = 10 }: { length?: number; digits?: number } = {}): DigitSortingLayout {
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`digitSorting: length must be a positive integer, got ${length}`);
  if (!Number.isInteger(digits) || digits < 2) throw new RangeError(`digitSorting: digits must be an integer of at least 2, got ${digits}`);
  return { length, digits, separator: digits, vocabSize: digits + 1, sequenceLength: 2 * length };
}

/**
 * Makes `count` examples. Each input is the unsorted digits, the separator and the first
 * length - 1 sorted digits: [x1..xn, SEP, y1..y(n-1)]. Its targets are the sorted digits
 * [y1..yn], predicted at the last n input positions, from the separator on (teacher forcing).
 * Digits are drawn uniformly and independently, so repeats occur.
 */
export function makeDigitSorting(options: DigitSortingOptions): TokenSequences & { layout: DigitSortingLayout } {
  const { count, seed = 0 } = options;
  const layout = digitSortingLayout(options);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`digitSorting: count must be a positive integer, got ${count}`);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`digitSorting: seed must be a non-negative integer, got ${seed}`);
  const { length, digits, separator, sequenceLength } = layout;

  const generator = new Mulberry32(seed);
  const inputs = new Int32Array(count * sequenceLength);
  const targets = new Int32Array(count * length);
  for (let example = 0; example < count; example++) {
    const unsorted = Array.from({ length }, () => generator.nextInt(digits));
    const sorted = [...unsorted].sort((a, b) => a - b);

    const row = [...unsorted, separator, ...sorted.slice(0, length - 1)];
    inputs.set(row, example * sequenceLength);
    targets.set(sorted, example * length);
  }

  return {
    inputs: tokenTensor(inputs, count, sequenceLength),
    targets: tokenTensor(targets, count, length),
    layout,
  };
}
