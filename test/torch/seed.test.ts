// manualSeed makes libtorch's default generator repeat its draws, and the draws match PyTorch's.
import assert from "node:assert/strict";
import { test } from "node:test";
import { F, manualSeed, ones, randn } from "../../src/torch/index.js";
import { assertTensorClose } from "./assert-close.js";
import { loadGoldenFixture } from "./golden-fixture.js";

const { random } = loadGoldenFixture();

test("manualSeed repeats randn", () => {
  manualSeed(7);
  const first = randn([4, 5]).toNumbers();
  manualSeed(7);
  const second = randn([4, 5]).toNumbers();

  assert.deepEqual(second, first);
});

test("another seed changes randn", () => {
  manualSeed(7);
  const first = randn([4, 5]).toNumbers();
  manualSeed(8);
  const second = randn([4, 5]).toNumbers();

  assert.notDeepEqual(second, first);
});

test("manualSeed repeats dropout masks", () => {
  manualSeed(11);
  const first = F.dropout(ones([8, 16]), 0.5, true).toNumbers();
  manualSeed(11);
  const second = F.dropout(ones([8, 16]), 0.5, true).toNumbers();

  assert.deepEqual(second, first);
  assert.ok(first.every((value) => value === 0 || value === 2), "kept values are scaled by 1 / (1 - p)");
  assert.ok(first.includes(0), "the mask drops some values");
  assert.ok(first.includes(2), "the mask keeps some values");
});

test("dropout in eval mode is the identity", () => {
  assert.deepEqual(F.dropout(ones([6]), 0.5, false).toNumbers(), [1, 1, 1, 1, 1, 1]);
});

test("randn float32 matches PyTorch stream", () => {
  manualSeed(random.seed);
  assertTensorClose(randn(random.randnFloat32.shape), random.randnFloat32, "randn float32");
});

test("randn float64 matches PyTorch stream", () => {
  manualSeed(random.seed);
  assertTensorClose(randn(random.randnFloat64.shape, "float64"), random.randnFloat64, "randn float64");
});

test("dropout mask matches PyTorch stream", () => {
  const expected = random.dropoutOfOnes;
  manualSeed(random.seed);
  assertTensorClose(F.dropout(ones(expected.output.shape), expected.p, true), expected.output, "dropout of ones");
});
