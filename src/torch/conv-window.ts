// A convolution whose output is a single pixel reads only the part of its kernel that overlaps
// the input, and the rest multiplies padding zeros. ResNet-18 on 28x28 images reaches 1x1 maps
// in its last stage, where a padded 3x3 kernel uses 1 of its 9 taps (4 of 9 in the strided first
// conv). Convolving the overlapping window alone, without padding, gives the same output and
// the same gradients with less work.

/** Along one spatial axis: kernel taps kernelStart .. kernelStart + length - 1 meet input positions 0 .. length - 1. */
export interface AxisWindow {
  kernelStart: number;
  length: number;
}

/**
 * For one spatial axis of a convolution with a single output position, the kernel taps that
 * land inside the input. Returns null when the output has more than one position on this axis,
 * when dilation is not 1, when every tap lands inside already (nothing to save), or when none
 * does (libtorch's own call then gives the bias alone).
 */
export function singleOutputAxisWindow(inputSize: number, kernelSize: number, stride: number, padding: number, dilation: number): AxisWindow | null {
  if (dilation !== 1) return null;
  const outputSize = Math.floor((inputSize + 2 * padding - kernelSize) / stride) + 1;
  if (outputSize !== 1) return null;

  // The single output reads input rows -padding .. -padding + kernelSize - 1.
  const kernelStart = padding;
  const kernelEnd = Math.min(kernelSize, padding + inputSize);
  if (kernelEnd <= kernelStart || (kernelStart === 0 && kernelEnd === kernelSize)) return null;
  return { kernelStart, length: kernelEnd - kernelStart };
}
