// Convolutions with a single output position run over the kernel window that meets the input:
// outputs and gradients must equal libtorch's padded convolution.
import assert from "node:assert/strict";
import { test } from "node:test";
import { singleOutputAxisWindow } from "../../src/torch/conv-window.js";
import { backends, F, gradients, manualSeed, randn, type MemoryFormat, type Tensor } from "../../src/torch/index.js";
import type { Conv2dOptions } from "../../src/torch/functional.js";
import { assertTensorClose, float32Tolerance } from "./assert-close.js";

test("the window of each axis: taps that meet the input, or null", () => {
  // ResNet-18's last stage on 28x28 images: 3x3, padding 1, on 1x1 maps.
  assert.deepEqual(singleOutputAxisWindow(1, 3, 1, 1, 1), { kernelStart: 1, length: 1 });
  // Its first conv: 2x2 maps, stride 2, to one output.
  assert.deepEqual(singleOutputAxisWindow(2, 3, 2, 1, 1), { kernelStart: 1, length: 2 });
  assert.equal(singleOutputAxisWindow(3, 3, 1, 1, 1), null, "three outputs");
  assert.equal(singleOutputAxisWindow(3, 3, 1, 0, 1), null, "every tap meets the input");
  assert.equal(singleOutputAxisWindow(1, 3, 1, 1, 2), null, "dilation");
  assert.equal(singleOutputAxisWindow(1, 2, 4, 3, 1), null, "no tap meets the input");
});

interface Case {
  name: string;
  input: [number, number, number, number];
  weight: [number, number, number, number];
  options: Conv2dOptions;
  format: MemoryFormat;
}

const cases: Case[] = [
  { name: "3x3, padding 1, 1x1 maps", input: [4, 6, 1, 1], weight: [5, 6, 3, 3], options: { padding: 1 }, format: "contiguous" },
  { name: "3x3, stride 2, padding 1, 2x2 maps", input: [4, 6, 2, 2], weight: [5, 6, 3, 3], options: { stride: 2, padding: 1 }, format: "contiguous" },
  { name: "3x3, padding 1, 1x1 maps, channels_last", input: [4, 6, 1, 1], weight: [5, 6, 3, 3], options: { padding: 1 }, format: "channels_last" },
  { name: "5x3, padding (2, 1), 1x2 maps, stride (1, 2), groups 2", input: [3, 4, 1, 2], weight: [6, 2, 5, 3], options: { padding: [2, 1], stride: [1, 2], groups: 2 }, format: "contiguous" },
];

/** Output and the gradients of a weighted sum of it with respect to input, weight and bias. */
function convolve(windows: boolean, input: Tensor, weight: Tensor, bias: Tensor, options: Conv2dOptions): Tensor[] {
  backends.singleOutputConvWindows = windows;
  try {
    const output = F.conv2d(input, weight, bias, options);
    const weighting = randn(output.shape); // fixed by the seed set before each call
    const [inputGrad, weightGrad, biasGrad] = gradients([output.mul(weighting).sum()], [input, weight, bias]);
    return [output, inputGrad, weightGrad, biasGrad];
  } finally {
    backends.singleOutputConvWindows = true;
  }
}

for (const { name, input: inputShape, weight: weightShape, options, format } of cases) {
  test(`window convolution equals the padded one: ${name}`, () => {
    manualSeed(3);
    const input = randn(inputShape).contiguous(format).requiresGrad_();
    const weight = randn(weightShape).requiresGrad_();
    const bias = randn([weightShape[0]]).requiresGrad_();

    manualSeed(4);
    const windowed = convolve(true, input, weight, bias, options);
    manualSeed(4);
    const padded = convolve(false, input, weight, bias, options);

    ["output", "input gradient", "weight gradient", "bias gradient"].forEach((label, index) => {
      const want = padded[index];
      assertTensorClose(windowed[index], { shape: want.shape, dtype: want.dtype, values: want.toNumbers() }, label);
    });
    assert.ok(float32Tolerance.relative <= 1e-5);
  });
}

test("the kernel taps outside the window get zero gradient", () => {
  manualSeed(5);
  const input = randn([2, 3, 1, 1]).requiresGrad_();
  const weight = randn([4, 3, 3, 3]).requiresGrad_();
  const [weightGrad] = gradients([F.conv2d(input, weight, null, { padding: 1 }).sum()], [weight]);
  const values = weightGrad.toNumbers();
  const centre = (index: number) => index % 9 === 4;
  assert.ok(values.some((value, index) => centre(index) && value !== 0), "the centre tap has a gradient");
  assert.ok(values.every((value, index) => centre(index) || value === 0), "every other tap has none");
});

test("invalid padding still gets libtorch's own error", () => {
  // 5 - 2 - 3 + 1: a single output position, so only the guard keeps this off the window path.
  const input = randn([1, 2, 5, 5]);
  const weight = randn([3, 2, 3, 3]);

  assert.throws(() => F.conv2d(input, weight, null, { padding: -1 }), /negative padding/);
});
