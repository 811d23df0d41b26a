// ResNet-18 and ResNet-34 as torchvision defines them (He et al. 2015, "Deep Residual Learning
// for Image Recognition", Table 1), with a `residual` switch: `residual: false` builds the plain
// twin, which has the same layers in the same order with every shortcut removed. Removing a
// shortcut also removes its 1x1 projection (the downsample), which belongs to the shortcut path.
import { Module, BatchNorm2d, Conv2d, Linear, ReLU, MaxPool2d, AdaptiveAvgPool2d, Sequential, init } from "../nn/index.js";
import type { Tensor } from "../torch/index.js";

export interface ResNetOptions {
  /** Input channels; 3 as torchvision, 1 for MNIST. */
  nIn?: number;
  /** Classes of the final Linear layer; default 1000, as torchvision. */
  numClasses?: number;
  /** Keep the shortcuts (default). false builds the plain twin. */
  residual?: boolean;
}

/** Two 3x3 convolutions with BatchNorm; output relu(F(x) + shortcut(x)) or relu(F(x)) when plain. */
export class BasicBlock extends Module {
  static readonly expansion = 1;

  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly relu: ReLU;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly downsample: Sequential | null;
  readonly residual: boolean;

  constructor(inPlanes: number, planes: number, { stride = 1, residual = true } = {}) {
    super();
    this.residual = residual;
    this.conv1 = this.registerModule("conv1", new Conv2d(inPlanes, planes, 3, { stride, padding: 1, bias: false }));
    this.bn1 = this.registerModule("bn1", new BatchNorm2d(planes));
    this.relu = this.registerModule("relu", new ReLU());
    this.conv2 = this.registerModule("conv2", new Conv2d(planes, planes, 3, { padding: 1, bias: false }));
    this.bn2 = this.registerModule("bn2", new BatchNorm2d(planes));

    // torchvision's option B: a 1x1 convolution projects the shortcut where the shape changes.
    const needsProjection = stride !== 1 || inPlanes !== planes * BasicBlock.expansion;
    this.downsample =
      residual && needsProjection
        ? this.registerModule("downsample", new Sequential(new Conv2d(inPlanes, planes, 1, { stride, bias: false }), new BatchNorm2d(planes)))
        : null;
  }

  /** The residual branch F(x), BatchNorm output before the addition. */
  branch(input: Tensor): Tensor {
    const hidden = this.relu.forward(this.bn1.forward(this.conv1.forward(input))); // [N, planes, H/s, W/s]
    return this.bn2.forward(this.conv2.forward(hidden)); // [N, planes, H/s, W/s]
  }

  forward(input: Tensor): Tensor {
    const branch = this.branch(input);
    if (!this.residual) return branch.relu();
    const shortcut = this.downsample ? this.downsample.forward(input) : input;
    return branch.add(shortcut).relu();
  }
}

/** conv1, bn1, relu, maxpool, layer1..layer4, avgpool, fc: torchvision's names and order. */
export class ResNet extends Module {
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly relu: ReLU;
  readonly maxpool: MaxPool2d;
  readonly layers: readonly Sequential[];
  readonly avgpool: AdaptiveAvgPool2d;
  readonly fc: Linear;
  readonly residual: boolean;

  constructor(blocksPerStage: readonly number[], { nIn = 3, numClasses = 1000, residual = true }: ResNetOptions = {}) {
    super();
    this.residual = residual;
    this.conv1 = this.registerModule("conv1", new Conv2d(nIn, 64, 7, { stride: 2, padding: 3, bias: false }));
    this.bn1 = this.registerModule("bn1", new BatchNorm2d(64));
    this.relu = this.registerModule("relu", new ReLU());
    this.maxpool = this.registerModule("maxpool", new MaxPool2d(3, { stride: 2, padding: 1 }));

    const widths = [64, 128, 256, 512];
    let inPlanes = 64;
    this.layers = widths.map((planes, stage) => {
      const stride = stage === 0 ? 1 : 2;
      const blocks = new Sequential();
      for (let b = 0; b < blocksPerStage[stage]; b++) {
        blocks.append(new BasicBlock(inPlanes, planes, { stride: b === 0 ? stride : 1, residual }));
        inPlanes = planes * BasicBlock.expansion;
      }
      return this.registerModule(`layer${stage + 1}`, blocks);
    });

    this.avgpool = this.registerModule("avgpool", new AdaptiveAvgPool2d(1));
    this.fc = this.registerModule("fc", new Linear(512 * BasicBlock.expansion, numClasses));
    this.initialize();
  }

  /** torchvision's init: kaiming_normal_(fan_out, relu) for convolutions; BatchNorm weight 1, bias 0. */
  private initialize(): void {
    for (const [, module] of this.namedModules()) {
      if (module instanceof Conv2d) init.kaimingNormal_(module.weight, { mode: "fanOut" });
    }
  }

  /** The layers fastai keeps as the body: every child but avgpool and fc. */
  bodyLayers(): Module[] {
    return [this.conv1, this.bn1, this.relu, this.maxpool, ...this.layers];
  }

  forward(input: Tensor): Tensor {
    let x = this.maxpool.forward(this.relu.forward(this.bn1.forward(this.conv1.forward(input)))); // [N, 64, H/4, W/4]
    for (const layer of this.layers) x = layer.forward(x); // [N, 512, H/32, W/32] after layer4
    return this.fc.forward(this.avgpool.forward(x).flatten(1)); // [N, numClasses]
  }
}

export function resnet18(options: ResNetOptions = {}): ResNet {
  return new ResNet([2, 2, 2, 2], options);
}

export function resnet34(options: ResNetOptions = {}): ResNet {
  return new ResNet([3, 4, 6, 3], options);
}

/** An architecture as fastai's vision_learner takes it: a function from options to a ResNet. */
export type ResNetArchitecture = (options?: ResNetOptions) => ResNet;
