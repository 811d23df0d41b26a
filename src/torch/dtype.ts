// Element types and the TypedArrays that carry them across the binding.
import type { NativeDType } from "./native.js";

export type DType = NativeDType;

export type TypedArrayOf<D extends DType> = D extends "float32"
  ? Float32Array
  : D extends "float64"
    ? Float64Array
    : D extends "int64"
      ? BigInt64Array
      : D extends "int32"
        ? Int32Array
        : Uint8Array;

export const floatingTypes: readonly DType[] = ["float32", "float64", "bfloat16"];

export function isFloating(dtype: DType): boolean {
  return floatingTypes.includes(dtype);
}

/** Picks the dtype a TypedArray holds; Uint8Array is read as uint8. */
export function dtypeOfTypedArray(data: ArrayBufferView): DType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  if (data instanceof BigInt64Array) return "int64";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Uint8Array) return "uint8";
  throw new TypeError(`tensor: unsupported TypedArray ${data.constructor.name}, expected Float32Array, Float64Array, BigInt64Array, Int32Array or Uint8Array`);
}

/** Copies numbers into the TypedArray that a dtype travels in. */
export function typedArrayFromNumbers(values: ArrayLike<number>, dtype: DType): ArrayBufferView {
  switch (dtype) {
    case "float32":
      return Float32Array.from(values);
    case "float64":
      return Float64Array.from(values);
    case "int64":
      return BigInt64Array.from(Array.from(values, (value) => toInt64(value)));
    case "int32":
      return Int32Array.from(values);
    case "uint8":
      return Uint8Array.from(values);
    case "bool":
      // Any non-zero value is true, as torch.tensor(..., dtype=torch.bool).
      return Uint8Array.from(values, (value) => (value !== 0 ? 1 : 0));
    case "bfloat16":
      throw new TypeError("tensor: bfloat16 tensors are made with .to('bfloat16') from float32");
  }
}

const int64Limit = 2 ** 63;

/** Truncates toward zero, as PyTorch; values outside int64 throw instead of wrapping. */
function toInt64(value: number): bigint {
  if (!Number.isFinite(value) || value >= int64Limit || value < -int64Limit) {
    throw new RangeError(`tensor: ${value} does not fit in int64`);
  }
  return BigInt(Math.trunc(value));
}
