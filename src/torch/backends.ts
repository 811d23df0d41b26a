// Process-wide switches of residual-lab's own kernel choices, as torch.backends has for PyTorch.
// Each choice gives the same values as the plain libtorch call, to float rounding. The switches
// exist so that benchmarks and tests can compare both paths.

export const backends = {
  /**
   * Convolutions with a single output position run over the kernel window that meets the input,
   * without padding (see conv-window.ts). Default true.
   */
  singleOutputConvWindows: true,
};
