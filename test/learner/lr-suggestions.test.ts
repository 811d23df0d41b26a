import assert from "node:assert/strict";
import { test } from "node:test";
import { lrFindResult, minimum, slide, steep, valley } from "../../src/learner/index.js";
import { gradient, interpolate } from "../../src/learner/lr-suggestions.js";

// Expected values follow fastai's suggestion functions worked through by hand on made-up curves.
const lrs = Array.from({ length: 40 }, (_, i) => 10 ** (-7 + i / 5));

// Falls by 0.01 a point up to index 24, then rises along a parabola.
const dip = lrs.map((_, i) => (i <= 24 ? 1 - 0.01 * i : 0.76 + 0.1 * (i - 24) ** 2));

test("valley picks two thirds down", () => {
  // The longest decreasing run is points 0..24 (25 long): index -1 + trunc(25/3) + trunc(25/6) = 11.
  const suggestion = valley(lrs, dip);
  assert.equal(suggestion.lr, lrs[11]);
  assert.equal(suggestion.point.loss, dip[11]);
});

test("valley follows the subsequence", () => {
  // The longest decreasing subsequence, 5, 4, 3, 2, 1, ends at index 5 with length 5, so the
  // valley starts at 5 - 5 = 0 and the index is 0 + trunc(5/3) + trunc(5/6) = 1.
  const suggestion = valley([1, 2, 3, 4, 5, 6, 7], [5, 4, 6, 3, 2, 1, 7]);
  assert.equal(suggestion.lr, 2);
  assert.equal(suggestion.point.loss, 4);
});

test("minimum suggests a tenth", () => {
  const suggestion = minimum(lrs, dip);
  assert.equal(suggestion.lr, lrs[24] / 10);
  assert.equal(suggestion.point.lr, lrs[24]);
  assert.equal(suggestion.point.loss, dip[24]);
});

test("steep finds the largest drop", () => {
  const suggestion = steep([1e-4, 1e-3, 1e-2, 1e-1, 1], [3, 2.9, 2.5, 2.4, 2.6]);
  assert.equal(suggestion.lr, 1e-3);
  assert.equal(suggestion.point.loss, 2.9);
});

test("slide stops where the gradient flattens", () => {
  // The gradient is -0.01 up to index 23, 0.045 at 24 and 0.2·i - 4.8 beyond. The interval of
  // 15 points slides left while its right end is at 24 or above, so it stops with its left
  // end last set at 24 - 15 = 9.
  const suggestion = slide(lrs, dip);
  assert.ok(Math.abs(suggestion.lr - lrs[9]) < 1e-18, `lr ${suggestion.lr}, expected ${lrs[9]}`);
  assert.ok(Math.abs(suggestion.point.loss - dip[9]) < 1e-9, `loss ${suggestion.point.loss}, expected ${dip[9]}`);
});

test("suggestions need enough points", () => {
  assert.ok(Number.isNaN(slide(lrs.slice(0, 15), dip.slice(0, 15)).lr));
  assert.ok(Number.isNaN(steep([1], [1]).lr));
  assert.ok(Number.isNaN(valley([], []).lr));
  assert.ok(Number.isNaN(minimum([], []).lr));
  assert.throws(() => valley([1, 2], [1]), /one loss per learning rate/);
});

test("gradient matches numpy", () => {
  assert.deepEqual(gradient([1, 2, 4, 7, 11]), [1, 1.5, 2.5, 3.5, 4]);
});

test("interpolate matches numpy", () => {
  assert.equal(interpolate(1.5, [1, 2, 3], [10, 20, 40]), 15);
  assert.equal(interpolate(2.5, [1, 2, 3], [10, 20, 40]), 30);
  assert.equal(interpolate(0, [1, 2, 3], [10, 20, 40]), 10);
  assert.equal(interpolate(9, [1, 2, 3], [10, 20, 40]), 40);
});

test("lrFindResult trims like fastai", () => {
  // numIterations 100: the suggestions ignore the first 10 points and the last 5.
  const ramp = Array.from({ length: 100 }, (_, i) => 1e-7 * 1e8 ** (i / 100));
  const losses = ramp.map((_, i) => (i < 5 ? 0 : 10 - i / 100));
  const result = lrFindResult(ramp, losses, 100);
  // Without trimming the minimum would be at the start (loss 0); trimmed, it is the last used point, 94.
  assert.equal(result.minimum, ramp[94] / 10);
  assert.equal(result.points.minimum.loss, losses[94]);
  assert.equal(result.lrs.length, 100);

  // The first NaN cuts the curve: the minimum moves to the point before it.
  losses[60] = Number.NaN;
  assert.equal(lrFindResult(ramp, losses, 100).minimum, ramp[59] / 10);
});
