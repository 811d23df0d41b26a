// Neural-network functionals, as torch.nn.functional. Each checks the shapes it can check
// cheaply before calling libtorch, so a mistake reads "conv2d: expected input [N, C, H, W],
// got [28, 28]" rather than a libtorch trace; libtorch's own checks remain behind these.
import { native, type Reduction } from "./native.js";
import { backends } from "./backends.js";
import { singleOutputAxisWindow } from "./conv-window.js";
import { Tensor } from "./tensor.js";

type Pair = number | readonly [number, number];

function pair(value: Pair): number[] {
  return typeof value === "number" ? [value, value] : [value[0], value[1]];
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

function expectRank(op: string, tensor: Tensor, ranks: readonly number[], layout: string): void {
  if (!(tensor instanceof Tensor)) throw new TypeError(`${op}: expected input to be a Tensor, got ${typeof tensor}`);
  const shape = tensor.shape;
  if (!ranks.includes(shape.length)) throw new RangeError(`${op}: expected input ${layout}, got ${shapeText(shape)}`);
}

export interface Conv2dOptions {
  /** Default 1. */
  stride?: Pair;
  /** Default 0. */
  padding?: Pair;
  /** Default 1. */
  dilation?: Pair;
  /** Default 1. */
  groups?: number;
}

export function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv2dOptions = {}): Tensor {
  expectRank("conv2d", input, [4], "[N, C, H, W]");
  const { stride = 1, padding = 0, dilation = 1, groups = 1 } = options;
  const [strides, paddings, dilations] = [pair(stride), pair(padding), pair(dilation)];

  const rows = singleOutputAxisWindow(input.shape[2], weight.shape[2], strides[0], paddings[0], dilations[0]);
  const columns = singleOutputAxisWindow(input.shape[3], weight.shape[3], strides[1], paddings[1], dilations[1]);
  // Calls libtorch would reject keep the padded path, so that its error names the caller's shapes.
  const valid = paddings.every((value) => value >= 0) && input.shape[1] === weight.shape[1] * groups;
  if (backends.singleOutputConvWindows && valid && rows !== null && columns !== null) {
    const window = weight.narrow(2, rows.kernelStart, rows.length).narrow(3, columns.kernelStart, columns.length); // [O, C/g, rows, columns]
    const inputWindow = input.narrow(2, 0, rows.length).narrow(3, 0, columns.length); // [N, C, rows, columns]
    return new Tensor(native.conv2d(inputWindow.handle, window.handle, bias?.handle ?? null, [1, 1], [0, 0], [1, 1], groups));
  }
  return new Tensor(native.conv2d(input.handle, weight.handle, bias?.handle ?? null, strides, paddings, dilations, groups));
}

export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Use batch statistics and update the running ones (train mode). */
  training: boolean;
  /** Running-statistics momentum; default 0.1 as PyTorch. */
  momentum?: number;
  /** Default 1e-5 as PyTorch. */
  eps?: number;
}

export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, options: BatchNormOptions): Tensor {
  const { weight = null, bias = null, training, momentum = 0.1, eps = 1e-5 } = options;
  return new Tensor(
    native.batchNorm(input.handle, weight?.handle ?? null, bias?.handle ?? null, runningMean?.handle ?? null, runningVar?.handle ?? null, training, momentum, eps),
  );
}

export function layerNorm(input: Tensor, normalizedShape: readonly number[], weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  return new Tensor(native.layerNorm(input.handle, [...normalizedShape], weight?.handle ?? null, bias?.handle ?? null, eps));
}

/** input @ weightᵀ + bias, weight [out, in]. */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  return new Tensor(native.linear(input.handle, weight.handle, bias?.handle ?? null));
}

export interface MaxPool2dOptions {
  /** Default kernelSize, as PyTorch. */
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
}

export function maxPool2d(input: Tensor, kernelSize: Pair, options: MaxPool2dOptions = {}): Tensor {
  expectRank("maxPool2d", input, [3, 4], "[N, C, H, W]");
  const { stride = kernelSize, padding = 0, dilation = 1, ceilMode = false } = options;
  return new Tensor(native.maxPool2d(input.handle, pair(kernelSize), pair(stride), pair(padding), pair(dilation), ceilMode));
}

export function avgPool2d(input: Tensor, kernelSize: Pair, { stride = kernelSize, padding = 0 as Pair, ceilMode = false, countIncludePad = true } = {}): Tensor {
  expectRank("avgPool2d", input, [3, 4], "[N, C, H, W]");
  return new Tensor(native.avgPool2d(input.handle, pair(kernelSize), pair(stride), pair(padding), ceilMode, countIncludePad));
}

export function adaptiveAvgPool2d(input: Tensor, outputSize: Pair): Tensor {
  expectRank("adaptiveAvgPool2d", input, [3, 4], "[N, C, H, W]");
  return new Tensor(native.adaptiveAvgPool2d(input.handle, pair(outputSize)));
}

export function adaptiveMaxPool2d(input: Tensor, outputSize: Pair): Tensor {
  expectRank("adaptiveMaxPool2d", input, [3, 4], "[N, C, H, W]");
  return new Tensor(native.adaptiveMaxPool2d(input.handle, pair(outputSize)));
}

export function relu(input: Tensor): Tensor {
  return input.relu();
}

export function gelu(input: Tensor): Tensor {
  return new Tensor(native.gelu(input.handle));
}

/** Zeroes each element with probability p and scales the rest by 1/(1-p) when training. */
export function dropout(input: Tensor, p: number, training: boolean): Tensor {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout: p must be in [0, 1], got ${p}`);
  return new Tensor(native.dropout(input.handle, p, training));
}

export function logSoftmax(input: Tensor, dim: number): Tensor {
  return new Tensor(native.logSoftmax(input.handle, dim));
}

export function softmax(input: Tensor, dim: number): Tensor {
  return new Tensor(native.softmax(input.handle, dim));
}

/** Cross-entropy of logits [N, C] against int64 class indices [N]. */
export function crossEntropy(logits: Tensor, target: Tensor, { reduction = "mean" as Reduction, labelSmoothing = 0 } = {}): Tensor {
  const logitsShape = logits.shape;
  const targetShape = target.shape;
  if (logitsShape.length !== 2) throw new RangeError(`crossEntropy: expected logits [N, C], got ${shapeText(logitsShape)}`);
  if (targetShape.length !== 1 || targetShape[0] !== logitsShape[0]) {
    throw new RangeError(`crossEntropy: expected target [${logitsShape[0]}] of class indices, got ${shapeText(targetShape)}`);
  }
  if (target.dtype !== "int64") throw new TypeError(`crossEntropy: expected int64 target, got ${target.dtype}`);
  return new Tensor(native.crossEntropy(logits.handle, target.handle, reduction, labelSmoothing));
}

export function nllLoss(logProbabilities: Tensor, target: Tensor, reduction: Reduction = "mean"): Tensor {
  return new Tensor(native.nllLoss(logProbabilities.handle, target.handle, reduction));
}

export function mseLoss(input: Tensor, target: Tensor, reduction: Reduction = "mean"): Tensor {
  return new Tensor(native.mseLoss(input.handle, target.handle, reduction));
}

/** Rows of weight [V, D] picked by int64 indices. */
export function embedding(weight: Tensor, indices: Tensor): Tensor {
  return new Tensor(native.embedding(weight.handle, indices.handle));
}

/** Constant padding; `padding` lists (before, after) pairs from the last dimension backwards. */
export function pad(input: Tensor, padding: readonly number[], value = 0): Tensor {
  if (padding.length % 2 !== 0) throw new RangeError(`pad: padding must have an even length, got ${padding.length}`);
  return new Tensor(native.pad(input.handle, [...padding], value));
}
