import assert from "node:assert/strict";
import { test } from "node:test";
import { combinedCos, combineScheds, schedCos, schedExp, schedLin, schedNo, schedPoly } from "../../src/learner/index.js";

// Expected values are fastai's formulas worked out by hand at chosen positions.
function assertClose(actual: number, expected: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-12 + 1e-9 * Math.abs(expected), `${label}: expected ${expected}, got ${actual}`);
}

test("schedLin interpolates linearly", () => {
  const schedule = schedLin(2, 4);
  assertClose(schedule(0), 2, "start");
  assertClose(schedule(0.25), 2.5, "quarter");
  assertClose(schedule(1), 4, "end");
});

test("schedCos follows half a cosine", () => {
  const schedule = schedCos(0, 1);
  assertClose(schedule(0), 0, "start");
  // (1 + cos(0.75π)) / 2 = (1 - √2/2) / 2
  assertClose(schedule(0.25), (1 - Math.SQRT1_2) / 2, "quarter");
  assertClose(schedule(0.5), 0.5, "middle");
  assertClose(schedule(1), 1, "end");
  assertClose(schedCos(1, 2)(0.5), 1.5, "shifted middle");
});

test("schedNo stays at start", () => {
  assert.equal(schedNo(3, 7)(0.9), 3);
});

test("schedExp is linear in log space", () => {
  const schedule = schedExp(1e-7, 10);
  assertClose(schedule(0), 1e-7, "start");
  assertClose(schedule(0.5), 1e-3, "middle");
  assertClose(schedule(0.75), 1e-7 * 1e6, "three quarters");
});

test("schedPoly raises position to power", () => {
  assertClose(schedPoly(1, 3, 2)(0.5), 1.5, "square at middle");
});

test("combinedCos matches fit_one_cycle's shape", () => {
  const lrMax = 1e-3;
  const schedule = combinedCos(0.25, lrMax / 25, lrMax, lrMax / 1e5);
  assertClose(schedule(0), 4e-5, "start: lrMax / div");
  // Halfway through the warm-up the cosine is halfway: 4e-5 + (1e-3 - 4e-5) / 2.
  assertClose(schedule(0.125), 5.2e-4, "warm-up middle");
  assertClose(schedule(0.25), 1e-3, "peak");
  // Halfway through the annealing: 1e-3 + (1e-8 - 1e-3) / 2.
  assertClose(schedule(0.625), 5.00005e-4, "annealing middle");
  assertClose(schedule(1), 1e-8, "end: lrMax / div_final");
});

test("combineScheds picks the stretch", () => {
  const schedule = combineScheds([0.5, 0.5], [schedLin(0, 1), schedLin(10, 20)]);
  assertClose(schedule(0.25), 0.5, "first stretch");
  assertClose(schedule(0.5), 10, "second stretch starts");
  assertClose(schedule(0.75), 15, "second stretch middle");
  // A zero-width first stretch is skipped, as fastai's pct_start=0.
  assertClose(combinedCos(0, 1, 2, 3)(0), 2, "no warm-up");
});

test("combineScheds rejects bad fractions", () => {
  assert.throws(() => combineScheds([0.5, 0.4], [schedNo(0), schedNo(1)]), /add up to 1/);
  assert.throws(() => combineScheds([1.5, -0.5], [schedNo(0), schedNo(1)]), /non-negative/);
  assert.throws(() => combineScheds([1], [schedNo(0), schedNo(1)]), /one fraction per schedule/);
});
