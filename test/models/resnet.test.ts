import assert from "node:assert/strict";
import { test } from "node:test";
import { BasicBlock, resnet18, resnet34 } from "../../src/models/index.js";
import { manualSeed, noGrad, randn } from "../../src/torch/index.js";

// torchvision 0.14's parameter counts (3 input channels, 1000 classes).
const torchvisionResnet18 = 11_689_512;
const torchvisionResnet34 = 21_797_672;
// The three 1x1 projections (64->128, 128->256, 256->512) and their BatchNorms.
const projectionParameters = 64 * 128 + 2 * 128 + 128 * 256 + 2 * 256 + 256 * 512 + 2 * 512;

test("resnet18 parameter count equals torchvision", () => {
  assert.equal(resnet18().numParameters(), torchvisionResnet18);
});

test("resnet34 parameter count equals torchvision", () => {
  assert.equal(resnet34().numParameters(), torchvisionResnet34);
});

test("plain twins lose only the projections", () => {
  assert.equal(resnet18({ residual: false }).numParameters(), torchvisionResnet18 - projectionParameters);
  assert.equal(resnet34({ residual: false }).numParameters(), torchvisionResnet34 - projectionParameters);
});

test("nIn changes only the first convolution", () => {
  const firstConvPerChannel = 64 * 7 * 7;
  assert.equal(resnet18({ nIn: 1 }).numParameters(), torchvisionResnet18 - 2 * firstConvPerChannel);
});

test("parameter names follow torchvision", () => {
  const names = resnet18().namedParameters().map(([name]) => name);
  assert.equal(names[0], "conv1.weight");
  assert.ok(names.includes("layer2.0.downsample.0.weight"));
  assert.ok(names.includes("layer4.1.bn2.bias"));
  assert.equal(names.at(-1), "fc.bias");
  const buffers = resnet18().namedBuffers().map(([name]) => name);
  assert.ok(buffers.includes("bn1.running_mean"));
});

test("resnet18 maps 28x28 digits to class scores", () => {
  const model = resnet18({ nIn: 1, numClasses: 10 }).eval();
  const output = noGrad(() => model.forward(randn([2, 1, 28, 28])));
  assert.deepEqual(output.shape, [2, 10]);
});

test("conv init is kaiming normal fan_out", () => {
  manualSeed(0);
  const weight = resnet18().layers[3].modules()[1] as BasicBlock;
  const values = weight.conv2.weight; // [512, 512, 3, 3], fan_out = 512 * 9
  const std = values.std().item();
  const expected = Math.sqrt(2 / (512 * 9));
  assert.ok(Math.abs(std - expected) / expected < 0.02, `std ${std}, expected ${expected}`);
});

test("residual block adds its shortcut", () => {
  manualSeed(1);
  const block = new BasicBlock(8, 8).eval();
  const input = randn([2, 8, 6, 6]);
  const [output, expected] = noGrad(() => [block.forward(input), block.branch(input).add(input).relu()]);
  assert.deepEqual(output.toNumbers(), expected.toNumbers());
});

test("plain block is its branch alone", () => {
  manualSeed(1);
  const block = new BasicBlock(8, 8, { residual: false }).eval();
  const input = randn([2, 8, 6, 6]);
  const [output, expected] = noGrad(() => [block.forward(input), block.branch(input).relu()]);
  assert.deepEqual(output.toNumbers(), expected.toNumbers());
});

test("plain twin has the residual net's other weights", () => {
  const residualNames = resnet18().namedParameters().map(([name]) => name);
  const plainNames = resnet18({ residual: false }).namedParameters().map(([name]) => name);
  assert.deepEqual(plainNames, residualNames.filter((name) => !name.includes("downsample")));
});
