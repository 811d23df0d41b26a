// Measures of rank collapse, the effect Dong, Cordonnier and Loukas 2021 describe ("Attention is
// not all you need: pure attention loses rank doubly exponentially with depth", ICML): how far a
// layer's token representations X [T, D] are from a rank-1 matrix, relative to the size of X.
import { noGrad, tidy, type Tensor } from "../torch/index.js";

/**
 * Computes the relative residual of the best rank-1 approximation of each matrix in a batch
 * [N, T, D]: ‖X - X₁‖_F / ‖X‖_F = √(σ₂² + σ₃² + ...) / √(σ₁² + σ₂² + ...), with X₁ the
 * truncated SVD (Eckart-Young). It is 0 for a rank-1 matrix, √((n-1)/n) for an n x n orthogonal
 * one, and 0 for a zero matrix. Computed in float64.
 */
export function rank1Residuals(batch: Tensor): number[] {
  const shape = batch.shape;
  if (shape.length !== 3) throw new RangeError(`rank1Residuals: expected a batch of matrices [N, T, D], got [${shape.join(", ")}]`);
  const [count, rows, columns] = shape;
  const size = Math.min(rows, columns);

  // The Gram matrix on the smaller side has the squared singular values as eigenvalues.
  // NOTE: the addon has linalg_svdvals, but the typed torch layer does not expose it yet. So the
  // eigenvalues come from a Jacobi solver in TypeScript, whose cost grows as min(T, D)³.
  const gram = tidy(() =>
    noGrad(() => {
      const matrices = batch.detach().double(); // [N, T, D]
      const transposed = matrices.transpose(1, 2); // [N, D, T]
      return rows <= columns ? matrices.matmul(transposed) : transposed.matmul(matrices); // [N, size, size]
    }),
  );
  const values = gram.data() as Float64Array;
  gram.dispose();

  const residuals: number[] = [];
  for (let n = 0; n < count; n++) {
    const matrix = values.slice(n * size * size, (n + 1) * size * size);
    let total = 0;
    for (let i = 0; i < size; i++) total += matrix[i * size + i];
    if (total === 0) {
      residuals.push(0);
      continue;
    }
    const largest = Math.max(...symmetricEigenvalues(matrix, size));
    residuals.push(Math.sqrt(Math.max(0, total - largest) / total));
  }
  return residuals;
}

/** rank1Residuals of one matrix [T, D]. */
export function rank1Residual(matrix: Tensor): number {
  const shape = matrix.shape;
  if (shape.length !== 2) throw new RangeError(`rank1Residual: expected a matrix [T, D], got [${shape.join(", ")}]`);
  return rank1Residuals(matrix.unsqueeze(0))[0];
}

/**
 * Computes the distance from token uniformity, the collapse Dong et al. describe, for each matrix
 * of a batch [N, T, D]: ‖X - 1x̄ᵀ‖_F / ‖X‖_F, with x̄ the mean token, because 1x̄ᵀ is the matrix of
 * identical rows closest to X in the Frobenius norm. It is 0 when every token has the same
 * representation.
 */
export function uniformityResiduals(batch: Tensor): number[] {
  const shape = batch.shape;
  if (shape.length !== 3) throw new RangeError(`uniformityResiduals: expected a batch of matrices [N, T, D], got [${shape.join(", ")}]`);
  return tidy(() =>
    noGrad(() => {
      const matrices = batch.detach().double(); // [N, T, D]
      const centred = matrices.sub(matrices.mean(1, true)); // [N, T, D]
      const residualNorms = centred.square().sum([1, 2]).sqrt(); // [N]
      const norms = matrices.square().sum([1, 2]).sqrt(); // [N]
      const residualValues = residualNorms.toNumbers();
      return norms.toNumbers().map((norm, n) => (norm === 0 ? 0 : residualValues[n] / norm));
    }),
  );
}

/**
 * Eigenvalues of a symmetric n x n matrix (row-major), by cyclic Jacobi rotations. The input
 * is overwritten. Stops when the off-diagonal part's Frobenius norm is below 1e-14 of the
 * whole matrix's, or after 100 sweeps.
 */
export function symmetricEigenvalues(matrix: Float64Array, n: number): number[] {
  if (matrix.length !== n * n) throw new RangeError(`symmetricEigenvalues: expected ${n * n} values for ${n} x ${n}, got ${matrix.length}`);
  const at = (i: number, j: number) => matrix[i * n + j];

  let whole = 0;
  for (let i = 0; i < n * n; i++) whole += matrix[i] * matrix[i];

  for (let sweep = 0; sweep < 100; sweep++) {
    let offDiagonal = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) offDiagonal += at(i, j) * at(i, j);
    if (offDiagonal <= 1e-28 * whole) break;

    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = at(p, q);
        if (apq === 0) continue;

        // The rotation angle θ that zeroes A[p, q]: t = tan θ is the smaller root of t² + 2τt - 1 = 0.
        const tau = (at(q, q) - at(p, p)) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;

        for (let k = 0; k < n; k++) {
          const akp = at(k, p);
          const akq = at(k, q);
          matrix[k * n + p] = c * akp - s * akq;
          matrix[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = at(p, k);
          const aqk = at(q, k);
          matrix[p * n + k] = c * apk - s * aqk;
          matrix[q * n + k] = s * apk + c * aqk;
        }
      }
    }
  }

  return Array.from({ length: n }, (_, i) => at(i, i));
}
