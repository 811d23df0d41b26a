import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { generatorForEpoch, Mulberry32, randomPermutation } from "../../src/data/random.js";

describe("random", () => {
  test("Mulberry32 repeats for the same seed", () => {
    const first = new Mulberry32(42);
    const second = new Mulberry32(42);
    const other = new Mulberry32(43);
    const drawsFirst = Array.from({ length: 8 }, () => first.nextUint32());
    const drawsSecond = Array.from({ length: 8 }, () => second.nextUint32());
    const drawsOther = Array.from({ length: 8 }, () => other.nextUint32());
    assert.deepEqual(drawsFirst, drawsSecond);
    assert.notDeepEqual(drawsFirst, drawsOther);
    for (const value of drawsFirst) assert.ok(Number.isInteger(value) && value >= 0 && value < 2 ** 32, `${value}`);
  });

  test("Mulberry32 nextInt covers the range evenly", () => {
    const generator = new Mulberry32(7);
    const counts = new Array<number>(6).fill(0);
    const draws = 60000;
    for (let i = 0; i < draws; i++) counts[generator.nextInt(6)] += 1;
    // Each bucket expects 10000 draws with a standard deviation near 91, so 500 is over 5 standard deviations.
    for (const count of counts) assert.ok(Math.abs(count - draws / 6) < 500, `counts ${counts.join(", ")}`);
  });

  test("Mulberry32 nextInt rejects invalid bound", () => {
    const generator = new Mulberry32(0);
    assert.throws(() => generator.nextInt(0), /bound must be an integer in \[1, 2\^32\], got 0/);
    assert.throws(() => generator.nextInt(1.5), /got 1\.5/);
  });

  test("randomPermutation returns a permutation", () => {
    const order = randomPermutation(1000, new Mulberry32(1));
    const sorted = Array.from(order).sort((a, b) => a - b);
    assert.deepEqual(sorted, Array.from({ length: 1000 }, (_, i) => i));
    assert.notDeepEqual(Array.from(order), sorted);
  });

  test("randomPermutation handles empty and single", () => {
    assert.equal(randomPermutation(0, new Mulberry32(1)).length, 0);
    assert.deepEqual(Array.from(randomPermutation(1, new Mulberry32(1))), [0]);
  });

  test("generatorForEpoch depends on seed and epoch", () => {
    const draw = (seed: number, epoch: number) => generatorForEpoch(seed, epoch).nextUint32();
    assert.equal(draw(0, 0), draw(0, 0));
    assert.notEqual(draw(0, 0), draw(0, 1));
    assert.notEqual(draw(0, 0), draw(1, 0));
    assert.notEqual(draw(0, 0), draw(2 ** 32, 0));
  });

  test("generatorForEpoch rejects invalid seed", () => {
    assert.throws(() => generatorForEpoch(-1, 0), /seed must be a non-negative integer, got -1/);
    assert.throws(() => generatorForEpoch(0, 0.5), /epoch must be a non-negative integer, got 0\.5/);
  });
});
