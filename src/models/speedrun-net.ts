// A small residual CNN for the MNIST speedrun: 99% test accuracy within a minute on 2 CPU cores
// needs a net of a few million multiply-adds per image. Convolution, BatchNorm and ReLU at 28,
// 14 and 7 pixels with max pooling between, one residual block at 7 pixels, global max pooling
// and a linear classifier.
import { BatchNorm2d, Conv2d, Linear, MaxPool2d, Module } from "../nn/index.js";
import { F, type Tensor } from "../torch/index.js";

export interface SpeedrunNetOptions {
  /** Channels of the three stages; default [24, 48, 96]. */
  widths?: readonly [number, number, number];
  /** Default 10. */
  numClasses?: number;
  /** Keep the shortcut of the residual block; default true. */
  residual?: boolean;
}

class ConvBnRelu extends Module {
  readonly conv: Conv2d;
  readonly bn: BatchNorm2d;

  constructor(inChannels: number, outChannels: number) {
    super();
    this.conv = this.registerModule("conv", new Conv2d(inChannels, outChannels, 3, { padding: 1, bias: false }));
    this.bn = this.registerModule("bn", new BatchNorm2d(outChannels));
  }

  forward(input: Tensor): Tensor {
    return this.bn.forward(this.conv.forward(input)).relu();
  }
}

export class SpeedrunNet extends Module {
  readonly stem: ConvBnRelu;
  readonly stage2: ConvBnRelu;
  readonly residualConv: ConvBnRelu;
  readonly stage3: ConvBnRelu;
  readonly pool: MaxPool2d;
  readonly fc: Linear;
  readonly residual: boolean;

  constructor({ widths = [24, 48, 96], numClasses = 10, residual = true }: SpeedrunNetOptions = {}) {
    super();
    this.residual = residual;
    this.stem = this.registerModule("stem", new ConvBnRelu(1, widths[0]));
    this.stage2 = this.registerModule("stage2", new ConvBnRelu(widths[0], widths[1]));
    this.residualConv = this.registerModule("residual", new ConvBnRelu(widths[1], widths[1]));
    this.stage3 = this.registerModule("stage3", new ConvBnRelu(widths[1], widths[2]));
    this.pool = this.registerModule("pool", new MaxPool2d(2));
    this.fc = this.registerModule("fc", new Linear(widths[2], numClasses));
  }

  forward(input: Tensor): Tensor {
    const stem = this.pool.forward(this.stem.forward(input)); // [N, w0, 14, 14]
    const x = this.pool.forward(this.stage2.forward(stem)); // [N, w1, 7, 7]
    const block = this.residualConv.forward(x); // [N, w1, 7, 7]
    const y = this.residual ? x.add(block) : block;
    const features = F.adaptiveMaxPool2d(this.stage3.forward(y), 1).flatten(1); // [N, w2]
    return this.fc.forward(features); // [N, classes]
  }
}
