// Element-wise comparison of tensors with explicit tolerances, for tests against PyTorch values.
import assert from "node:assert/strict";
import type { Tensor } from "../../src/torch/index.js";

/** An element passes when |actual - expected| <= absolute + relative * |expected|. */
export interface Tolerance {
  relative: number;
  /** Floor for elements whose expected value is near zero, where a relative bound means nothing. */
  absolute: number;
}

/**
 * float64: rounding differences from another summation order or BLAS are near 1e-15, and the
 * fixture's Debian python3-torch links the same libtorch 1.13 libraries as the addon.
 */
export const float64Tolerance: Tolerance = { relative: 1e-10, absolute: 1e-12 };

/** float32: about 84 units in the last place of a value near 1. */
export const float32Tolerance: Tolerance = { relative: 1e-5, absolute: 1e-6 };

export function toleranceFor(dtype: string): Tolerance {
  if (dtype === "float64") return float64Tolerance;
  if (dtype === "float32") return float32Tolerance;
  throw new TypeError(`toleranceFor: no tolerance for dtype ${dtype}, expected float32 or float64`);
}

/**
 * Asserts that two arrays have the same length and agree within the tolerance at every
 * element. The message names the first element outside the tolerance and counts the rest.
 */
export function assertValuesClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: Tolerance, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: expected ${expected.length} values, got ${actual.length}`);

  let failures = 0;
  let firstFailure = "";
  for (let i = 0; i < expected.length; i++) {
    const difference = Math.abs(actual[i] - expected[i]);
    const allowed = tolerance.absolute + tolerance.relative * Math.abs(expected[i]);
    // Written as !(difference <= allowed) so that NaN fails.
    if (!(difference <= allowed)) {
      failures += 1;
      if (firstFailure === "") firstFailure = `element ${i} is ${actual[i]}, expected ${expected[i]} (difference ${difference}, allowed ${allowed})`;
    }
  }
  assert.equal(failures, 0, `${label}: ${firstFailure}; ${failures} of ${expected.length} elements outside tolerance`);
}

/** Asserts that two arrays are equal element by element, for integer and bool results. */
export function assertValuesEqual(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  assert.deepEqual(Array.from(actual), Array.from(expected), `${label}: values differ`);
}

/** Asserts shape, dtype and values of a tensor, exactly for integer and bool dtypes. */
export function assertTensorClose(
  actual: Tensor,
  expected: { shape: readonly number[]; dtype: string; values: ArrayLike<number> },
  label: string,
): void {
  assert.deepEqual(actual.shape, [...expected.shape], `${label}: shape`);
  assert.equal(actual.dtype, expected.dtype, `${label}: dtype`);
  if (expected.dtype === "float32" || expected.dtype === "float64") {
    assertValuesClose(actual.toNumbers(), expected.values, toleranceFor(expected.dtype), label);
  } else {
    assertValuesEqual(actual.toNumbers(), expected.values, label);
  }
}
