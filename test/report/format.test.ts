import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDuration, formatNumber, formatPercent, formatPercentSpread, formatSpread, formatWallTime, listInProse } from "../../src/report/format.js";

const spreadOf = (mean: number, std: number) => ({ mean, std, min: mean - std, max: mean + std, n: 2 });

test("formatNumber keeps three significant digits", () => {
  assert.equal(formatNumber(0.41234), "0.412");
  assert.equal(formatNumber(1.5), "1.5");
  assert.equal(formatNumber(0.0031415), "0.00314");
  assert.equal(formatNumber(0), "0");
  assert.equal(formatNumber(Number.NaN), "n/a");
});

test("formatSpread gives the std the mean's decimals", () => {
  assert.equal(formatSpread(spreadOf(1.4931, 0.0099)), "1.49 ± 0.01");
  assert.equal(formatSpread(spreadOf(0.98517, 0.04284)), "0.985 ± 0.043");
  assert.equal(formatSpread(spreadOf(123.4, 5.67)), "123 ± 6");
});

test("formatSpread uses exponents for tiny values", () => {
  assert.equal(formatSpread(spreadOf(1.2128e-7, 4.9e-9)), "1.21e-7 ± 4.9e-9");
});

test("formatSpread reads an empty spread as n/a", () => {
  assert.equal(formatSpread({ mean: Number.NaN, std: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 }), "n/a");
  // JSON turns NaN into null, which a result file can hold.
  assert.equal(formatSpread({ mean: null, std: null, min: null, max: null, n: 0 } as never), "n/a");
});

test("percent formats keep one decimal", () => {
  assert.equal(formatPercent(0.12345), "12.3%");
  assert.equal(formatPercentSpread(spreadOf(0.05, 0.004)), "5.0% ± 0.4%");
});

test("durations read as fastai and as words", () => {
  assert.equal(formatDuration(75.4), "01:15");
  assert.equal(formatDuration(3725), "1:02:05");
  assert.equal(formatWallTime(48.2), "48 s");
  assert.equal(formatWallTime(725), "12 min 5 s");
  assert.equal(formatWallTime(3780), "1 h 3 min");
});

test("listInProse joins with commas and 'and'", () => {
  assert.equal(listInProse([]), "");
  assert.equal(listInProse(["a"]), "a");
  assert.equal(listInProse(["a", "b"]), "a and b");
  assert.equal(listInProse(["a", "b", "c"]), "a, b and c");
});
