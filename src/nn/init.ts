// Weight initialisations, as torch.nn.init. Each writes in place without recording gradients.
import type { Tensor } from "../torch/index.js";

export type FanMode = "fanIn" | "fanOut";

/** fan_in and fan_out of a weight [out, in, ...kernel], as torch.nn.init._calculate_fan_in_and_fan_out. */
export function fans(weight: Tensor): { fanIn: number; fanOut: number } {
  const shape = weight.shape;
  if (shape.length < 2) throw new RangeError(`fans: expected a weight with at least 2 dimensions, got [${shape.join(", ")}]`);
  const receptiveField = shape.slice(2).reduce((product, size) => product * size, 1);
  return { fanIn: shape[1] * receptiveField, fanOut: shape[0] * receptiveField };
}

/** The gain of leaky_relu with negative slope a (a = 0 is ReLU's √2), as torch.nn.init.calculate_gain. */
export function leakyReluGain(a = 0): number {
  return Math.sqrt(2 / (1 + a * a));
}

/** He et al. 2015 normal init: std = gain / √fan. PyTorch's default mode is fan_in, a = 0. */
export function kaimingNormal_(weight: Tensor, { mode = "fanIn" as FanMode, a = 0 } = {}): Tensor {
  const fan = fans(weight)[mode];
  return weight.normal_(0, leakyReluGain(a) / Math.sqrt(fan));
}

/** He et al. 2015 uniform init: bound = gain · √(3 / fan). */
export function kaimingUniform_(weight: Tensor, { mode = "fanIn" as FanMode, a = 0 } = {}): Tensor {
  const fan = fans(weight)[mode];
  const bound = leakyReluGain(a) * Math.sqrt(3 / fan);
  return weight.uniform_(-bound, bound);
}

/**
 * PyTorch's default for Conv and Linear layers: kaiming_uniform_(a=√5) on the weight, which is
 * U(-1/√fan_in, 1/√fan_in), and the same bound for the bias.
 */
export function defaultLayerInit_(weight: Tensor, bias: Tensor | null): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias) {
    const bound = 1 / Math.sqrt(fans(weight).fanIn);
    bias.uniform_(-bound, bound);
  }
}
