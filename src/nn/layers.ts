// Layers with parameters: convolution, linear and batch normalisation, initialised as PyTorch does.
import { F, ones, zeros, type Tensor } from "../torch/index.js";
import { defaultLayerInit_ } from "./init.js";
import { Module } from "./module.js";

type Pair = number | readonly [number, number];

export interface Conv2dOptions {
  /** Default 1. */
  stride?: Pair;
  /** Default 0. */
  padding?: Pair;
  /** Default 1. */
  dilation?: Pair;
  /** Default 1. */
  groups?: number;
  /** Default true, as PyTorch. */
  bias?: boolean;
}

export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly [number, number];
  readonly options: Required<Omit<Conv2dOptions, "bias">>;
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, options: Conv2dOptions = {}) {
    super();
    const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true } = options;
    checkPositive("Conv2d", { inChannels, outChannels, groups });
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new RangeError(`Conv2d: inChannels (${inChannels}) and outChannels (${outChannels}) must be divisible by groups (${groups})`);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = typeof kernelSize === "number" ? [kernelSize, kernelSize] : [kernelSize[0], kernelSize[1]];
    this.options = { stride, padding, dilation, groups };

    this.weight = this.registerParameter("weight", zeros([outChannels, inChannels / groups, ...this.kernelSize]));
    this.bias = bias ? this.registerParameter("bias", zeros([outChannels])) : null;
    defaultLayerInit_(this.weight, this.bias);
  }

  forward(input: Tensor): Tensor {
    if (input.ndim === 4 && input.shape[1] !== this.inChannels) {
      throw new RangeError(`Conv2d: expected input [N, ${this.inChannels}, H, W], got [${input.shape.join(", ")}]`);
    }
    return F.conv2d(input, this.weight, this.bias, this.options);
  }

  override describe(): string {
    return `Conv2d(${this.inChannels}, ${this.outChannels}, kernel_size=(${this.kernelSize.join(", ")}), stride=${this.options.stride}, padding=${this.options.padding}${this.bias ? "" : ", bias=False"})`;
  }
}

export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  /** A fully connected layer; `bias` defaults to true, as PyTorch. */
  constructor(inFeatures: number, outFeatures: number, { bias = true } = {}) {
    super();
    checkPositive("Linear", { inFeatures, outFeatures });
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = this.registerParameter("weight", zeros([outFeatures, inFeatures]));
    this.bias = bias ? this.registerParameter("bias", zeros([outFeatures])) : null;
    defaultLayerInit_(this.weight, this.bias);
  }

  forward(input: Tensor): Tensor {
    const shape = input.shape;
    if (shape[shape.length - 1] !== this.inFeatures) {
      throw new RangeError(`Linear: expected input [..., ${this.inFeatures}], got [${shape.join(", ")}]`);
    }
    return F.linear(input, this.weight, this.bias);
  }

  override describe(): string {
    return `Linear(in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? "True" : "False"})`;
  }
}

export interface BatchNormOptions {
  /** Default 1e-5, as PyTorch. */
  eps?: number;
  /** Running-statistics momentum; default 0.1, as PyTorch. */
  momentum?: number;
  /** Learnable weight and bias; default true. */
  affine?: boolean;
}

/** Batch normalisation over dimension 1 (Ioffe and Szegedy 2015); weight 1, bias 0, as PyTorch. */
abstract class BatchNorm extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number;
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
  protected abstract readonly expectedRanks: readonly number[];

  constructor(numFeatures: number, { eps = 1e-5, momentum = 0.1, affine = true }: BatchNormOptions = {}) {
    super();
    checkPositive(this.constructor.name, { numFeatures });
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.weight = affine ? this.registerParameter("weight", ones([numFeatures])) : null;
    this.bias = affine ? this.registerParameter("bias", zeros([numFeatures])) : null;
    this.runningMean = this.registerBuffer("running_mean", zeros([numFeatures]));
    this.runningVar = this.registerBuffer("running_var", ones([numFeatures]));
  }

  forward(input: Tensor): Tensor {
    const shape = input.shape;
    if (!this.expectedRanks.includes(shape.length) || shape[1] !== this.numFeatures) {
      throw new RangeError(`${this.constructor.name}: expected input with ${this.numFeatures} channels in dimension 1 and ${this.expectedRanks.join(" or ")} dimensions, got [${shape.join(", ")}]`);
    }
    return F.batchNorm(input, this.runningMean, this.runningVar, {
      weight: this.weight,
      bias: this.bias,
      training: this.training,
      momentum: this.momentum,
      eps: this.eps,
    });
  }

  override describe(): string {
    return `${this.constructor.name}(${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum})`;
  }
}

// NOTE: PyTorch's BatchNorm also keeps a num_batches_tracked buffer; it only matters when
// momentum is None (cumulative averages), which these layers do not offer, so it is left out
// and state dicts from PyTorch need strict: false or that key removed.

/** BatchNorm over [N, C] or [N, C, L]. */
export class BatchNorm1d extends BatchNorm {
  protected readonly expectedRanks = [2, 3];
}

/** BatchNorm over [N, C, H, W]. */
export class BatchNorm2d extends BatchNorm {
  protected readonly expectedRanks = [4];
}

/** Layer normalisation over the last dimensions (Ba et al. 2016); weight 1, bias 0. */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly weight: Tensor;
  readonly bias: Tensor;

  constructor(normalizedShape: number | readonly number[], { eps = 1e-5 } = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
    this.eps = eps;
    this.weight = this.registerParameter("weight", ones(this.normalizedShape));
    this.bias = this.registerParameter("bias", zeros(this.normalizedShape));
  }

  forward(input: Tensor): Tensor {
    return F.layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }
}

function checkPositive(layer: string, values: Record<string, number>): void {
  for (const [name, value] of Object.entries(values)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${layer}: ${name} must be a positive integer, got ${value}`);
  }
}
