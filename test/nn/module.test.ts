import assert from "node:assert/strict";
import { test } from "node:test";
import { BatchNorm2d, Conv2d, Linear, ReLU, Sequential, AdaptiveConcatPool2d, Dropout, BatchNorm1d } from "../../src/nn/index.js";
import { manualSeed, noGrad, ones, randn, tensor } from "../../src/torch/index.js";

test("sequential names children by index", () => {
  const model = new Sequential(new Conv2d(1, 4, 3), new BatchNorm2d(4), new ReLU());
  assert.deepEqual(
    [...model.stateDict().keys()],
    ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var"],
  );
});

test("linear default init is bounded by 1/sqrt(fan_in)", () => {
  manualSeed(0);
  const layer = new Linear(100, 50);
  const bound = 1 / Math.sqrt(100);
  assert.ok(layer.weight.abs().max().item() <= bound);
  assert.ok(layer.weight.abs().max().item() > 0.9 * bound);
  assert.ok(layer.bias!.abs().max().item() <= bound);
});

test("train and eval reach every submodule", () => {
  const model = new Sequential(new Sequential(new Dropout(0.5)), new BatchNorm1d(3));
  model.eval();
  assert.ok(model.namedModules().every(([, module]) => !module.training));
  model.train();
  assert.ok(model.namedModules().every(([, module]) => module.training));
});

test("batchnorm updates running stats only in train mode", () => {
  const norm = new BatchNorm2d(2);
  const input = randn([4, 2, 3, 3]).add(5);
  noGrad(() => norm.eval().forward(input));
  assert.deepEqual(norm.runningMean.toNumbers(), [0, 0]);
  noGrad(() => norm.train().forward(input));
  assert.ok(norm.runningMean.toNumbers().every((value) => value > 0.3));
});

test("state dict round trip copies values", () => {
  manualSeed(0);
  const source = new Sequential(new Linear(3, 2), new BatchNorm1d(2));
  const target = new Sequential(new Linear(3, 2), new BatchNorm1d(2));
  target.loadStateDict(source.stateDict());
  const input = randn([5, 3]);
  const [a, b] = noGrad(() => [source.eval().forward(input), target.eval().forward(input)]);
  assert.deepEqual(a.toNumbers(), b.toNumbers());
});

test("state dict load rejects wrong shapes", () => {
  const target = new Sequential(new Linear(3, 2));
  const state = new Map([
    ["0.weight", ones([2, 4])],
    ["0.bias", ones([2])],
  ]);
  assert.throws(() => target.loadStateDict(state), /'0\.weight' has shape \[2, 4\], expected \[2, 3\]/);
});

test("state dict load reports missing and unexpected keys", () => {
  const target = new Sequential(new Linear(3, 2));
  const state = new Map([
    ["0.weight", ones([2, 3])],
    ["extra", ones([1])],
  ]);
  assert.throws(() => target.loadStateDict(state), /missing '0\.bias'.*unexpected 'extra'/);
});

test("concat pool puts max before average", () => {
  const input = tensor([1, 2, 3, 6], { shape: [1, 1, 2, 2] });
  const output = new AdaptiveConcatPool2d().forward(input);
  assert.deepEqual(output.shape, [1, 2, 1, 1]);
  assert.deepEqual(output.toNumbers(), [6, 3]);
});

test("conv2d rejects a wrong channel count", () => {
  const conv = new Conv2d(3, 8, 3);
  assert.throws(() => conv.forward(randn([1, 1, 8, 8])), /Conv2d: expected input \[N, 3, H, W\], got \[1, 1, 8, 8\]/);
});

test("channels_last keeps parameter identity", () => {
  const conv = new Conv2d(2, 4, 3);
  const before = conv.weight;
  conv.toMemoryFormat("channels_last");
  assert.equal(conv.parameters()[0], before);
  assert.ok(conv.weight.isContiguous("channels_last"));
});
