// Autograd's gradients against central finite differences in float64 (finite-differences.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { F, manualSeed, tensor, type Tensor } from "../../src/torch/index.js";
import { assertGradientsMatchFiniteDifferences, randomInput } from "./finite-differences.js";

function seeded<T>(seed: number, make: () => T): T {
  manualSeed(seed);
  return make();
}

test("finite differences catch a wrong gradient", () => {
  // x * detach(x) has derivative 2x, but autograd differentiates only the first factor and returns x.
  const inputs = seeded(1, () => [randomInput("x", [3, 2])]);
  assert.throws(() => assertGradientsMatchFiniteDifferences(([x]) => x.mul(x.detach()), inputs), /gradient of x/);
});

test("conv2d gradient matches finite differences", () => {
  const inputs = seeded(2, () => [randomInput("input", [2, 2, 5, 5]), randomInput("weight", [3, 2, 3, 3]), randomInput("bias", [3])]);
  assertGradientsMatchFiniteDifferences(([input, weight, bias]) => F.conv2d(input, weight, bias, { stride: 2, padding: 1 }), inputs);
});

test("conv2d without bias gradient matches finite differences", () => {
  const inputs = seeded(3, () => [randomInput("input", [1, 2, 6, 6]), randomInput("weight", [2, 2, 3, 3])]);
  assertGradientsMatchFiniteDifferences(([input, weight]) => F.conv2d(input, weight, null, { stride: 1, padding: 1 }), inputs);
});

test("batch_norm training gradient matches finite differences", () => {
  const inputs = seeded(4, () => [randomInput("input", [4, 3, 2, 2]), randomInput("weight", [3]), randomInput("bias", [3])]);
  // Without running statistics, training mode normalises with the batch's own statistics only.
  assertGradientsMatchFiniteDifferences(
    ([input, weight, bias]) => F.batchNorm(input, null, null, { weight, bias, training: true }),
    inputs,
  );
});

test("linear gradient matches finite differences", () => {
  const inputs = seeded(5, () => [randomInput("input", [3, 4]), randomInput("weight", [5, 4]), randomInput("bias", [5])]);
  assertGradientsMatchFiniteDifferences(([input, weight, bias]) => F.linear(input, weight, bias), inputs);
});

test("max_pool2d gradient matches finite differences", () => {
  const inputs = seeded(6, () => [randomInput("input", [1, 2, 6, 6])]);
  assertGradientsMatchFiniteDifferences(([input]) => F.maxPool2d(input, 3, { stride: 2, padding: 1 }), inputs);
});

test("adaptive_avg_pool2d gradient matches finite differences", () => {
  const inputs = seeded(7, () => [randomInput("input", [2, 2, 5, 5])]);
  assertGradientsMatchFiniteDifferences(([input]) => F.adaptiveAvgPool2d(input, 1), inputs);
});

test("adaptive_avg_pool2d overlapping gradient matches finite differences", () => {
  // 5 -> 3 gives windows that overlap, so some inputs feed two outputs.
  const inputs = seeded(8, () => [randomInput("input", [1, 2, 5, 5])]);
  assertGradientsMatchFiniteDifferences(([input]) => F.adaptiveAvgPool2d(input, 3), inputs);
});

test("log_softmax gradient matches finite differences", () => {
  const inputs = seeded(9, () => [randomInput("input", [3, 5], 2)]);
  assertGradientsMatchFiniteDifferences(([input]) => F.logSoftmax(input, 1), inputs);
});

test("cross_entropy gradient matches finite differences", () => {
  const inputs = seeded(10, () => [randomInput("logits", [4, 5], 2)]);
  const target = tensor([1, 0, 4, 1], { dtype: "int64" });
  assertGradientsMatchFiniteDifferences(([logits]) => F.crossEntropy(logits, target), inputs);
});

test("cross_entropy label smoothing gradient matches finite differences", () => {
  const inputs = seeded(11, () => [randomInput("logits", [4, 5], 2)]);
  const target = tensor([3, 2, 0, 0], { dtype: "int64" });
  assertGradientsMatchFiniteDifferences(([logits]) => F.crossEntropy(logits, target, { labelSmoothing: 0.1 }), inputs);
});

test("layer_norm gradient matches finite differences", () => {
  const inputs = seeded(12, () => [randomInput("input", [2, 3, 4]), randomInput("weight", [4]), randomInput("bias", [4])]);
  assertGradientsMatchFiniteDifferences(([input, weight, bias]) => F.layerNorm(input, [4], weight, bias), inputs);
});

test("gelu gradient matches finite differences", () => {
  const inputs = seeded(13, () => [randomInput("input", [4, 5], 2)]);
  assertGradientsMatchFiniteDifferences(([input]) => F.gelu(input), inputs);
});

test("residual conv net gradient matches finite differences", () => {
  const inputs = seeded(14, () => [
    randomInput("input", [2, 1, 6, 6]),
    randomInput("convWeight", [3, 1, 3, 3], 0.5),
    randomInput("convBias", [3]),
    randomInput("bnWeight", [3]),
    randomInput("bnBias", [3]),
    randomInput("linearWeight", [4, 3]),
    randomInput("linearBias", [4]),
  ]);
  const target = tensor([1, 3], { dtype: "int64" });

  const net = ([input, convWeight, convBias, bnWeight, bnBias, linearWeight, linearBias]: Tensor[]): Tensor => {
    const convolved = F.conv2d(input, convWeight, convBias, { padding: 1 }); // [2, 3, 6, 6]
    const normalized = F.batchNorm(convolved, null, null, { weight: bnWeight, bias: bnBias, training: true });
    const residual = F.relu(normalized).add(input); // [2, 3, 6, 6], the shortcut broadcast over channels
    const pooled = F.maxPool2d(residual, 3, { stride: 2, padding: 1 }); // [2, 3, 3, 3]
    const features = F.adaptiveAvgPool2d(pooled, 1).flatten(1); // [2, 3]
    const logits = F.linear(features, linearWeight, linearBias); // [2, 4]
    return F.crossEntropy(logits, target);
  };
  assertGradientsMatchFiniteDifferences(net, inputs);
});
