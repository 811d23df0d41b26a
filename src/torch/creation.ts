// Tensor factories, named as in PyTorch. Random ones draw from libtorch's default generator,
// which manualSeed fixes.
import type { DType } from "./dtype.js";
import { native } from "./native.js";
import { Tensor, type Shape } from "./tensor.js";

function checkShape(op: string, shape: Shape): number[] {
  for (const size of shape) {
    if (!Number.isInteger(size) || size < 0) throw new RangeError(`${op}: shape must hold non-negative integers, got [${shape.join(", ")}]`);
  }
  return [...shape];
}

export function zeros(shape: Shape, dtype: DType = "float32"): Tensor {
  return new Tensor(native.zeros(checkShape("zeros", shape), dtype));
}

export function ones(shape: Shape, dtype: DType = "float32"): Tensor {
  return new Tensor(native.ones(checkShape("ones", shape), dtype));
}

export function full(shape: Shape, value: number, dtype: DType = "float32"): Tensor {
  return new Tensor(native.full(checkShape("full", shape), value, dtype));
}

export function zerosLike(like: Tensor): Tensor {
  return zeros(like.shape, like.dtype);
}

/** Standard normal samples. */
export function randn(shape: Shape, dtype: DType = "float32"): Tensor {
  return new Tensor(native.randn(checkShape("randn", shape), dtype));
}

/** Uniform samples from [0, 1). */
export function rand(shape: Shape, dtype: DType = "float32"): Tensor {
  return new Tensor(native.rand(checkShape("rand", shape), dtype));
}

/** Integers drawn uniformly from [low, high), as int64. */
export function randint(low: number, high: number, shape: Shape): Tensor {
  if (!(high > low)) throw new RangeError(`randint: high (${high}) must exceed low (${low})`);
  return new Tensor(native.randint(low, high, checkShape("randint", shape)));
}

export function randperm(n: number): Tensor {
  return new Tensor(native.randperm(n));
}

/** Values from start (inclusive) to end (exclusive) by step. */
export function arange(start: number, end: number, step = 1, dtype: DType = "int64"): Tensor {
  if (step === 0) throw new RangeError("arange: step must not be 0");
  return new Tensor(native.arange(start, end, step, dtype));
}

export function linspace(start: number, end: number, steps: number, dtype: DType = "float32"): Tensor {
  return new Tensor(native.linspace(start, end, steps, dtype));
}

export function eye(n: number, dtype: DType = "float32"): Tensor {
  return new Tensor(native.eye(n, dtype));
}

export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RangeError("cat: expected at least one tensor");
  return new Tensor(native.cat(tensors.map((t) => t.handle), dim));
}

export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RangeError("stack: expected at least one tensor");
  return new Tensor(native.stack(tensors.map((t) => t.handle), dim));
}

export function where(condition: Tensor, a: Tensor, b: Tensor): Tensor {
  return new Tensor(native.where(condition.handle, a.handle, b.handle));
}
