// Layers without parameters: activations, pooling, flattening and dropout.
import { cat, F, type Tensor } from "../torch/index.js";
import { Module } from "./module.js";

type Pair = number | readonly [number, number];

export class ReLU extends Module {
  forward(input: Tensor): Tensor {
    return input.relu();
  }
}

export class GELU extends Module {
  forward(input: Tensor): Tensor {
    return F.gelu(input);
  }
}

export class Identity extends Module {
  forward(input: Tensor): Tensor {
    return input;
  }
}

export class MaxPool2d extends Module {
  constructor(
    readonly kernelSize: Pair,
    readonly options: F.MaxPool2dOptions = {},
  ) {
    super();
  }

  forward(input: Tensor): Tensor {
    return F.maxPool2d(input, this.kernelSize, this.options);
  }
}

export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: Pair) {
    super();
  }

  forward(input: Tensor): Tensor {
    return F.adaptiveAvgPool2d(input, this.outputSize);
  }
}

export class AdaptiveMaxPool2d extends Module {
  constructor(readonly outputSize: Pair) {
    super();
  }

  forward(input: Tensor): Tensor {
    return F.adaptiveMaxPool2d(input, this.outputSize);
  }
}

/** fastai's AdaptiveConcatPool2d: max pool and average pool concatenated along channels, max first. */
export class AdaptiveConcatPool2d extends Module {
  constructor(readonly outputSize: Pair = 1) {
    super();
  }

  forward(input: Tensor): Tensor {
    const max = F.adaptiveMaxPool2d(input, this.outputSize); // [N, C, s, s]
    const average = F.adaptiveAvgPool2d(input, this.outputSize); // [N, C, s, s]
    return cat([max, average], 1); // [N, 2C, s, s]
  }
}

/** Flattens every dimension after the batch one: [N, ...] -> [N, rest]. */
export class Flatten extends Module {
  forward(input: Tensor): Tensor {
    return input.flatten(1);
  }
}

export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Dropout: p must be in [0, 1], got ${p}`);
  }

  forward(input: Tensor): Tensor {
    return F.dropout(input, this.p, this.training);
  }

  override describe(): string {
    return `Dropout(p=${this.p})`;
  }
}
