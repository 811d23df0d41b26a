import assert from "node:assert/strict";
import { test } from "node:test";
import { rank1Residual, rank1Residuals, symmetricEigenvalues, uniformityResiduals } from "../../src/experiments/transformer-rank.js";
import { eye, manualSeed, randn, tensor, zeros } from "../../src/torch/index.js";

/** Builds an n x n Householder reflection I - 2vvᵀ/(vᵀv), which is orthogonal and, for a dense v, dense. */
function householder(n: number) {
  const v = Array.from({ length: n }, (_, i) => Math.cos(i + 1) + 0.3);
  const squaredNorm = v.reduce((total, value) => total + value * value, 0);
  const rows = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0) - (2 * v[i] * v[j]) / squaredNorm));
  return tensor(rows, { dtype: "float64" });
}

test("rank-1 matrix has residual 0", () => {
  manualSeed(0);
  const column = randn([7, 1]);
  const row = randn([1, 5]);
  assert.ok(rank1Residual(column.matmul(row)) < 1e-6);
  assert.ok(rank1Residual(column.matmul(row).transpose(0, 1)) < 1e-6);
});

test("orthogonal matrix has residual sqrt((n-1)/n)", () => {
  for (const n of [2, 5, 16]) {
    const expected = Math.sqrt((n - 1) / n);
    assert.ok(Math.abs(rank1Residual(householder(n)) - expected) < 1e-9, `Householder ${n} x ${n}`);
    assert.ok(Math.abs(rank1Residual(eye(n)) - expected) < 1e-9, `identity ${n} x ${n}`);
  }
});

test("residual follows singular values", () => {
  // diag(3, 2, 1) padded to 3 x 4: the residual is √(2² + 1²) / √(3² + 2² + 1²).
  const matrix = tensor([
    [3, 0, 0, 0],
    [0, 2, 0, 0],
    [0, 0, 1, 0],
  ]);
  assert.ok(Math.abs(rank1Residual(matrix) - Math.sqrt(5 / 14)) < 1e-7);
});

test("batch residuals and zero matrix", () => {
  const batch = tensor([
    [
      [1, 2],
      [2, 4],
    ],
    [
      [1, 0],
      [0, 1],
    ],
    [
      [0, 0],
      [0, 0],
    ],
  ]);
  const residuals = rank1Residuals(batch);
  assert.equal(residuals.length, 3);
  assert.ok(residuals[0] < 1e-7);
  assert.ok(Math.abs(residuals[1] - Math.SQRT1_2) < 1e-7);
  assert.equal(residuals[2], 0);
  assert.throws(() => rank1Residuals(zeros([2, 2])), /expected a batch of matrices \[N, T, D\], got \[2, 2\]/);
});

test("uniformity residual of equal tokens is 0", () => {
  const equalTokens = tensor([[[1, 2, 3], [1, 2, 3], [1, 2, 3]]]);
  const [equal] = uniformityResiduals(equalTokens);
  assert.equal(equal, 0);

  // Rank 1 yet not uniform: rows 1·x and 2·x differ, so only the SVD measure calls it collapsed.
  const scaledTokens = tensor([[[1, 2], [2, 4]]]);
  const [scaled] = uniformityResiduals(scaledTokens);
  assert.ok(scaled > 0.3);
  assert.ok(rank1Residuals(scaledTokens)[0] < 1e-7);
});

test("jacobi eigenvalues of a known matrix", () => {
  // [[2, 1], [1, 2]] has eigenvalues 1 and 3; [[4, 1, 0], [1, 4, 1], [0, 1, 4]] has 4 and 4 ± √2.
  const two = symmetricEigenvalues(Float64Array.from([2, 1, 1, 2]), 2).sort((a, b) => a - b);
  assert.ok(Math.abs(two[0] - 1) < 1e-12, `smaller eigenvalue ${two[0]}`);
  assert.ok(Math.abs(two[1] - 3) < 1e-12, `larger eigenvalue ${two[1]}`);
  const three = symmetricEigenvalues(Float64Array.from([4, 1, 0, 1, 4, 1, 0, 1, 4]), 3).sort((a, b) => a - b);
  [4 - Math.SQRT2, 4, 4 + Math.SQRT2].forEach((expected, i) => assert.ok(Math.abs(three[i] - expected) < 1e-12, `eigenvalue ${i}: ${three[i]}`));
});
