// Fully connected networks with and without shortcuts, for the experiments that need no
// convolutions (shattered gradients, Balduzzi et al. 2017). A block is pre-activation:
// BatchNorm, ReLU, Linear; the residual block adds its input back.
import { BatchNorm1d, Linear, Module } from "../nn/index.js";
import type { Tensor } from "../torch/index.js";

export interface MlpOptions {
  inFeatures: number;
  /** Hidden width; default 200 (Balduzzi et al. 2017 use 200 units). */
  width?: number;
  /** Hidden blocks; default 10. */
  depth?: number;
  outFeatures: number;
  /** Add each block's input to its output (default true). */
  residual?: boolean;
  /** BatchNorm before each ReLU (default true). */
  batchNorm?: boolean;
  /** BatchNorm's running-statistics momentum; default 0.1. 1 keeps the last batch's statistics. */
  normMomentum?: number;
}

class MlpBlock extends Module {
  readonly norm: BatchNorm1d | null;
  readonly linear: Linear;

  constructor(
    width: number,
    readonly residual: boolean,
    batchNorm: boolean,
    normMomentum: number,
  ) {
    super();
    this.norm = batchNorm ? this.registerModule("bn", new BatchNorm1d(width, { momentum: normMomentum })) : null;
    this.linear = this.registerModule("linear", new Linear(width, width));
  }

  forward(input: Tensor): Tensor {
    const normalised = this.norm ? this.norm.forward(input) : input;
    const branch = this.linear.forward(normalised.relu()); // [N, width]
    return this.residual ? input.add(branch) : branch;
  }
}

export class Mlp extends Module {
  readonly input: Linear;
  readonly blocks: readonly MlpBlock[];
  readonly output: Linear;

  constructor({ inFeatures, width = 200, depth = 10, outFeatures, residual = true, batchNorm = true, normMomentum = 0.1 }: MlpOptions) {
    super();
    this.input = this.registerModule("input", new Linear(inFeatures, width));
    this.blocks = Array.from({ length: depth }, (_, index) => this.registerModule(`block${index}`, new MlpBlock(width, residual, batchNorm, normMomentum)));
    this.output = this.registerModule("output", new Linear(width, outFeatures));
  }

  forward(input: Tensor): Tensor {
    let x = this.input.forward(input.flatten(1)); // [N, width]
    for (const block of this.blocks) x = block.forward(x);
    return this.output.forward(x); // [N, outFeatures]
  }
}
