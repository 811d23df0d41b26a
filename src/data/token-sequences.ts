// Examples for next-token models: token ids in, the ids to predict at the last positions out.
import { tensor, type Tensor } from "../torch/index.js";

/**
 * N examples of T input tokens and S target tokens (S <= T). targets[n, s] is the token that the
 * model should predict at input position T - S + s, so a language model has S = T and a task
 * with a prompt scores only the positions after the prompt.
 */
export interface TokenSequences {
  /** int64 [N, T] token ids. */
  inputs: Tensor;
  /** int64 [N, S] token ids. */
  targets: Tensor;
}

/** Makes an int64 tensor [rows, columns] from token ids listed row by row. */
export function tokenTensor(ids: ArrayLike<number>, rows: number, columns: number): Tensor {
  if (ids.length !== rows * columns) {
    throw new RangeError(`tokenTensor: expected ${rows * columns} ids for [${rows}, ${columns}], got ${ids.length}`);
  }
  return tensor(BigInt64Array.from({ length: ids.length }, (_, i) => BigInt(ids[i])), { shape: [rows, columns] });
}
