// A seeded pseudo-random generator for shuffling in TypeScript. libtorch's generator would
// also work, but it is process-wide state that model initialisation and dropout draw from,
// so a shuffle order taken from it would change whenever the model changes.

/** Scrambles a 32-bit integer with the MurmurHash3 finalizer and returns an unsigned 32-bit value. */
function mix32(value: number): number {
  let hash = value >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * Mulberry32 generator: one 32-bit word of state, period 2^32. Its 2^32 seeds reach only a
 * small share of the orders of a large dataset, which is fine for shuffling but not for cryptography.
 */
export class Mulberry32 {
  private state: number;

  /** Seeds the generator with the low 32 bits of `seed`. */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Draws an unsigned 32-bit integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let value = this.state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return (value ^ (value >>> 14)) >>> 0;
  }

  /** Draws an integer uniformly from [0, bound), without modulo bias. */
  nextInt(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > 2 ** 32) {
      throw new RangeError(`Mulberry32.nextInt: bound must be an integer in [1, 2^32], got ${bound}`);
    }

    // Rejecting draws at or above the largest multiple of bound keeps every residue equally likely.
    const limit = 2 ** 32 - (2 ** 32 % bound);
    let value = this.nextUint32();
    while (value >= limit) value = this.nextUint32();
    return value % bound;
  }
}

/**
 * Derives the generator for one epoch from a seed, so that epoch e of seed s gives the same
 * stream whatever epochs ran before it. Seeds above 2^32 keep their high bits.
 */
export function generatorForEpoch(seed: number, epoch: number): Mulberry32 {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`generatorForEpoch: seed must be a non-negative integer, got ${seed}`);
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new RangeError(`generatorForEpoch: epoch must be a non-negative integer, got ${epoch}`);

  const seedLow = seed >>> 0;
  const seedHigh = Math.floor(seed / 2 ** 32);
  const epochWord = mix32(epoch + 0x9e3779b9);
  return new Mulberry32(mix32(seedLow ^ mix32(seedHigh ^ epochWord)));
}

/** Returns a uniformly random permutation of 0..length-1 (Fisher-Yates shuffle). */
export function randomPermutation(length: number, generator: Mulberry32): Int32Array {
  if (!Number.isInteger(length) || length < 0 || length > 2 ** 31 - 1) {
    throw new RangeError(`randomPermutation: length must be an integer in [0, 2^31 - 1], got ${length}`);
  }

  const order = new Int32Array(length);
  for (let i = 0; i < length; i++) order[i] = i;

  for (let i = length - 1; i > 0; i--) {
    const j = generator.nextInt(i + 1);
    const swapped = order[i];
    order[i] = order[j];
    order[j] = swapped;
  }
  return order;
}
