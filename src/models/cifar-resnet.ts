// CIFAR-style residual networks (He et al. 2015, "Deep Residual Learning for Image Recognition",
// section 4.2) for 28x28 inputs: a 3x3 stem with 16 filters, three stages of n basic blocks with
// 16, 32 and 64 filters (stride 2 at the start of stages 2 and 3), global average pooling and a
// linear classifier; 6n+2 layers with weights. `residual: false` builds the plain twin.
import { AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Linear, Module, Sequential, init } from "../nn/index.js";
import { F, type Tensor } from "../torch/index.js";

/**
 * How a block's shortcut matches a change of shape. "A": identity on a 2x subsampled input,
 * with the new channels zero-padded (no parameters, so both twins have identical parameter
 * counts). "B": a 1x1 convolution with BatchNorm where the shape changes, identity elsewhere.
 */
export type ShortcutOption = "A" | "B";

export interface CifarResNetOptions {
  /** Layers with weights: 6n+2 (20, 32, 44, 56, 110). Default 20. */
  depth?: number;
  /** Input channels; default 1 (MNIST, Fashion-MNIST). */
  nIn?: number;
  /** Default 10. */
  numClasses?: number;
  /** Keep the shortcuts (default); false builds the plain twin. */
  residual?: boolean;
  /** Default "A", the paper's choice for its CIFAR-10 networks. */
  shortcut?: ShortcutOption;
  /** Pre-activation blocks (He et al. 2016, "Identity Mappings in Deep Residual Networks"); default false. */
  preActivation?: boolean;
}

/** The shortcut of option A: subsample by 2 and zero-pad the new channels on both sides. */
class PaddedIdentity extends Module {
  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly stride: number,
  ) {
    super();
  }

  forward(input: Tensor): Tensor {
    // A 1x1 average pool with stride 2 keeps every second pixel: x[:, :, ::2, ::2].
    const subsampled = this.stride === 1 ? input : F.avgPool2d(input, 1, { stride: this.stride }); // [N, C, H/2, W/2]
    const extra = this.outChannels - this.inChannels;
    return extra === 0 ? subsampled : F.pad(subsampled, [0, 0, 0, 0, extra / 2, extra - extra / 2]); // [N, C_out, H/2, W/2]
  }
}

/** A basic block: two 3x3 convolutions with BatchNorm, in the original or the pre-activation order. */
export class CifarBlock extends Module {
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly shortcut: Module | null;
  readonly residual: boolean;
  readonly preActivation: boolean;
  readonly changesShape: boolean;
  /** Lesion switch: a removed block passes its input through its shortcut only (Veit et al. 2016). */
  removed = false;

  constructor(inChannels: number, outChannels: number, stride: number, options: { residual: boolean; shortcut: ShortcutOption; preActivation: boolean }) {
    super();
    this.residual = options.residual;
    this.preActivation = options.preActivation;
    this.changesShape = stride !== 1 || inChannels !== outChannels;
    this.conv1 = this.registerModule("conv1", new Conv2d(inChannels, outChannels, 3, { stride, padding: 1, bias: false }));
    // Pre-activation normalises the block's input, so its first BatchNorm sees inChannels.
    this.bn1 = this.registerModule("bn1", new BatchNorm2d(options.preActivation ? inChannels : outChannels));
    this.conv2 = this.registerModule("conv2", new Conv2d(outChannels, outChannels, 3, { padding: 1, bias: false }));
    this.bn2 = this.registerModule("bn2", new BatchNorm2d(outChannels));

    if (!options.residual) {
      this.shortcut = null;
    } else if (!this.changesShape) {
      this.shortcut = null; // identity
    } else if (options.shortcut === "A") {
      this.shortcut = this.registerModule("shortcut", new PaddedIdentity(inChannels, outChannels, stride));
    } else {
      this.shortcut = this.registerModule(
        "shortcut",
        new Sequential(new Conv2d(inChannels, outChannels, 1, { stride, bias: false }), new BatchNorm2d(outChannels)),
      );
    }
  }

  /**
   * The residual branch F(x), with the responses of its two 3x3 layers as He et al. 2015 plot
   * them in Fig. 7: after BatchNorm, before the ReLU or the addition (pre-activation: the
   * convolutions' outputs, which are what the addition receives).
   */
  branchWithResponses(input: Tensor): { branch: Tensor; responses: [Tensor, Tensor] } {
    if (this.preActivation) {
      const first = this.conv1.forward(this.bn1.forward(input).relu()); // [N, C_out, H/s, W/s]
      const second = this.conv2.forward(this.bn2.forward(first).relu()); // [N, C_out, H/s, W/s]
      return { branch: second, responses: [first, second] };
    }
    const first = this.bn1.forward(this.conv1.forward(input)); // [N, C_out, H/s, W/s]
    const second = this.bn2.forward(this.conv2.forward(first.relu())); // [N, C_out, H/s, W/s]
    return { branch: second, responses: [first, second] };
  }

  /** The shortcut's output: the input itself, its padded subsample (A) or its projection (B). */
  shortcutOf(input: Tensor): Tensor {
    return this.shortcut ? this.shortcut.forward(input) : input;
  }

  forwardWithResponses(input: Tensor): { output: Tensor; responses: Tensor[] } {
    if (this.removed) {
      if (!this.residual && this.changesShape) throw new RangeError("CifarBlock: a plain block that changes shape cannot be removed");
      return { output: this.residual ? this.shortcutOf(input) : input, responses: [] };
    }
    const { branch, responses } = this.branchWithResponses(input);
    let output = this.residual ? branch.add(this.shortcutOf(input)) : branch;
    // The original block applies ReLU after the addition; the pre-activation block leaves the sum alone.
    if (!this.preActivation) output = output.relu();
    return { output, responses };
  }

  forward(input: Tensor): Tensor {
    return this.forwardWithResponses(input).output;
  }
}

export class CifarResNet extends Module {
  readonly depth: number;
  readonly residual: boolean;
  readonly preActivation: boolean;
  readonly stem: Conv2d;
  readonly stemNorm: BatchNorm2d;
  readonly blocks: readonly CifarBlock[];
  /** Pre-activation only: the BatchNorm before the final ReLU and pooling. */
  readonly finalNorm: BatchNorm2d | null;
  readonly pool: AdaptiveAvgPool2d;
  readonly fc: Linear;

  constructor({ depth = 20, nIn = 1, numClasses = 10, residual = true, shortcut = "A", preActivation = false }: CifarResNetOptions = {}) {
    super();
    if (!Number.isInteger(depth) || depth < 8 || (depth - 2) % 6 !== 0) {
      throw new RangeError(`CifarResNet: depth must be 6n+2 with n >= 1 (8, 14, 20, 32, 44, 56, 110), got ${depth}`);
    }
    const blocksPerStage = (depth - 2) / 6;
    this.depth = depth;
    this.residual = residual;
    this.preActivation = preActivation;

    this.stem = this.registerModule("stem", new Conv2d(nIn, 16, 3, { padding: 1, bias: false }));
    this.stemNorm = this.registerModule("stem_bn", new BatchNorm2d(16));
    const blocks: CifarBlock[] = [];
    let channels = 16;
    for (const [stage, width] of [16, 32, 64].entries()) {
      for (let b = 0; b < blocksPerStage; b++) {
        const stride = stage > 0 && b === 0 ? 2 : 1;
        blocks.push(this.registerModule(`block${blocks.length}`, new CifarBlock(channels, width, stride, { residual, shortcut, preActivation })));
        channels = width;
      }
    }
    this.blocks = blocks;
    this.finalNorm = preActivation ? this.registerModule("final_bn", new BatchNorm2d(64)) : null;
    this.pool = this.registerModule("pool", new AdaptiveAvgPool2d(1));
    this.fc = this.registerModule("fc", new Linear(64, numClasses));

    // He et al. 2015 initialise convolutions with their "MSRA" init: kaiming normal, fan_out as torchvision.
    for (const [, module] of this.namedModules()) if (module instanceof Conv2d) init.kaimingNormal_(module.weight, { mode: "fanOut" });
  }

  /** The output and, in order, the responses of every 3x3 layer after its BatchNorm (stem first). */
  forwardWithResponses(input: Tensor): { output: Tensor; responses: Tensor[] } {
    const stem = this.stem.forward(input); // [N, 16, 28, 28]
    const stemResponse = this.preActivation ? stem : this.stemNorm.forward(stem);
    let x = this.preActivation ? stem : stemResponse.relu();
    const responses: Tensor[] = [stemResponse];
    for (const block of this.blocks) {
      const result = block.forwardWithResponses(x);
      x = result.output;
      responses.push(...result.responses);
    }
    if (this.finalNorm) x = this.finalNorm.forward(x).relu(); // [N, 64, 7, 7]
    const output = this.fc.forward(this.pool.forward(x).flatten(1)); // [N, classes]
    return { output, responses };
  }

  forward(input: Tensor): Tensor {
    return this.forwardWithResponses(input).output;
  }

  /** Removes the given blocks (by index) for a lesion study; an empty list restores all. */
  setRemovedBlocks(indices: Iterable<number>): void {
    const removed = new Set(indices);
    for (const index of removed) {
      if (!Number.isInteger(index) || index < 0 || index >= this.blocks.length) throw new RangeError(`setRemovedBlocks: no block ${index} in ${this.blocks.length}`);
    }
    this.blocks.forEach((block, index) => (block.removed = removed.has(index)));
  }

  /** Returns the names of the 3x3 layers, in the order of forwardWithResponses' responses. */
  responseNames(): string[] {
    return ["stem", ...this.blocks.flatMap((_, index) => [`block${index}.conv1`, `block${index}.conv2`])];
  }
}

export function cifarResNet(options: CifarResNetOptions = {}): CifarResNet {
  return new CifarResNet(options);
}
