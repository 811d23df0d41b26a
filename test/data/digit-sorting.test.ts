import assert from "node:assert/strict";
import { test } from "node:test";
import { digitSortingLayout, makeDigitSorting } from "../../src/data/digit-sorting.js";

test("sorting targets are sorted inputs", () => {
  const { inputs, targets, layout } = makeDigitSorting({ count: 50, length: 6, digits: 10, seed: 3 });
  assert.deepEqual(inputs.shape, [50, 12]);
  assert.deepEqual(targets.shape, [50, 6]);
  assert.equal(inputs.dtype, "int64");

  const inputRows = inputs.toNumbers();
  const targetRows = targets.toNumbers();
  for (let example = 0; example < 50; example++) {
    const row = inputRows.slice(example * 12, (example + 1) * 12);
    const target = targetRows.slice(example * 6, (example + 1) * 6);
    const unsorted = row.slice(0, 6);
    assert.deepEqual(target, [...unsorted].sort((a, b) => a - b), `example ${example}`);
    assert.equal(row[6], layout.separator);
    assert.deepEqual(row.slice(7), target.slice(0, 5), `example ${example}: teacher-forced half`);
  }
});

test("sorting digits stay in range", () => {
  const { inputs } = makeDigitSorting({ count: 200, length: 8, digits: 5, seed: 1 });
  const values = inputs.toNumbers();
  assert.ok(values.every((value) => value >= 0 && value <= 5));
  for (let digit = 0; digit < 5; digit++) assert.ok(values.includes(digit), `digit ${digit} never drawn`);
});

test("sorting examples follow the seed", () => {
  const first = makeDigitSorting({ count: 20, seed: 7 }).inputs.toNumbers();
  const again = makeDigitSorting({ count: 20, seed: 7 }).inputs.toNumbers();
  const other = makeDigitSorting({ count: 20, seed: 8 }).inputs.toNumbers();
  assert.deepEqual(again, first);
  assert.notDeepEqual(other, first);
});

test("sorting layout and invalid options", () => {
  assert.deepEqual(digitSortingLayout(), { length: 8, digits: 10, separator: 10, vocabSize: 11, sequenceLength: 16 });
  assert.throws(() => makeDigitSorting({ count: 0 }), /count must be a positive integer, got 0/);
  assert.throws(() => makeDigitSorting({ count: 5, length: 0 }), /length must be a positive integer, got 0/);
  assert.throws(() => makeDigitSorting({ count: 5, digits: 1 }), /digits must be an integer of at least 2, got 1/);
  assert.throws(() => makeDigitSorting({ count: 5, seed: -1 }), /seed must be a non-negative integer, got -1/);
});
