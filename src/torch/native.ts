// Loads the libtorch addon and declares its functions. This is the only module that touches the
// addon: everything else goes through Tensor and the functionals.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Opaque native handle owning one torch::Tensor. */
export interface TensorHandle {
  readonly __tensorHandle: unique symbol;
}

/** Opaque native handle owning one libtorch optimizer. */
export interface OptimizerHandle {
  readonly __optimizerHandle: unique symbol;
}

export type NativeDType = "float32" | "float64" | "int64" | "int32" | "uint8" | "bool" | "bfloat16";
export type Reduction = "mean" | "sum" | "none";
export type MemoryFormat = "contiguous" | "channels_last";
type H = TensorHandle;
type Operand = H | number;

export interface OptimizerStateEntry {
  step: number | null;
  buffers: Record<string, H>;
}

export interface RuntimeInfo {
  libtorchVersion: string;
  cpuCapability: string;
  threads: number;
  parallelInfo: string;
  buildConfig: string;
  cudaAvailable: boolean;
  cudaDevices: number;
}

export interface NativeAddon {
  fromTypedArray(data: ArrayBufferView, shape: number[], dtype: NativeDType): H;
  toTypedArray(x: H): Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;
  zeros(shape: number[], dtype: NativeDType): H;
  ones(shape: number[], dtype: NativeDType): H;
  full(shape: number[], value: number, dtype: NativeDType): H;
  randn(shape: number[], dtype: NativeDType): H;
  rand(shape: number[], dtype: NativeDType): H;
  randint(low: number, high: number, shape: number[]): H;
  randperm(n: number): H;
  arange(start: number, end: number, step: number, dtype: NativeDType): H;
  linspace(start: number, end: number, steps: number, dtype: NativeDType): H;
  eye(n: number, dtype: NativeDType): H;
  shape(x: H): number[];
  dtype(x: H): NativeDType;
  device(x: H): string;
  isContiguous(x: H, format: MemoryFormat): boolean;
  item(x: H): number;
  dispose(x: H): void;
  isDisposed(x: H): boolean;
  liveTensors(): { count: number; bytes: number };
  fill_(x: H, value: number): void;
  normal_(x: H, mean: number, std: number): void;
  uniform_(x: H, low: number, high: number): void;
  copy_(target: H, source: H): void;
  add_(target: H, other: H, alpha: number): void;
  setData(target: H, source: H): void;

  neg(x: H): H;
  exp(x: H): H;
  log(x: H): H;
  sqrt(x: H): H;
  abs(x: H): H;
  sign(x: H): H;
  square(x: H): H;
  reciprocal(x: H): H;
  sin(x: H): H;
  cos(x: H): H;
  relu(x: H): H;
  sigmoid(x: H): H;
  tanh(x: H): H;
  gelu(x: H): H;
  isfinite(x: H): H;
  logicalNot(x: H): H;
  add(a: H, b: Operand): H;
  sub(a: H, b: Operand): H;
  mul(a: H, b: Operand): H;
  div(a: H, b: Operand): H;
  pow(a: H, b: Operand): H;
  maximum(a: H, b: Operand): H;
  minimum(a: H, b: Operand): H;
  eq(a: H, b: Operand): H;
  ne(a: H, b: Operand): H;
  lt(a: H, b: Operand): H;
  le(a: H, b: Operand): H;
  gt(a: H, b: Operand): H;
  ge(a: H, b: Operand): H;
  clamp(x: H, min: number | null, max: number | null): H;
  where(condition: H, a: H, b: H): H;
  sum(x: H, dims: number[] | null, keepdim: boolean): H;
  mean(x: H, dims: number[] | null, keepdim: boolean): H;
  var(x: H, dims: number[] | null, unbiased: boolean, keepdim: boolean): H;
  max(x: H, dim: null, keepdim: boolean): H;
  max(x: H, dim: number, keepdim: boolean): [H, H];
  min(x: H, dim: null, keepdim: boolean): H;
  min(x: H, dim: number, keepdim: boolean): [H, H];
  argmax(x: H, dim: number | null, keepdim: boolean): H;
  norm(x: H, p: number): H;
  matmul(a: H, b: H): H;
  tril(x: H, diagonal: number): H;
  triu(x: H, diagonal: number): H;
  svdvals(x: H): H;

  reshape(x: H, shape: number[]): H;
  view(x: H, shape: number[]): H;
  permute(x: H, dims: number[]): H;
  transpose(x: H, dim0: number, dim1: number): H;
  flatten(x: H, start: number, end: number): H;
  unsqueeze(x: H, dim: number): H;
  squeeze(x: H, dim: number | null): H;
  expand(x: H, shape: number[]): H;
  repeat(x: H, repeats: number[]): H;
  cat(tensors: H[], dim: number): H;
  stack(tensors: H[], dim: number): H;
  narrow(x: H, dim: number, start: number, length: number): H;
  select(x: H, dim: number, index: number): H;
  indexSelect(x: H, dim: number, index: H): H;
  gather(x: H, dim: number, index: H): H;
  contiguous(x: H, format: MemoryFormat): H;
  clone(x: H): H;
  detach(x: H): H;
  to(x: H, dtype: NativeDType | null, device: string | null): H;
  pad(x: H, padding: number[], value: number): H;
  maskedFill(x: H, mask: H, value: number): H;

  conv2d(input: H, weight: H, bias: H | null, stride: number[], padding: number[], dilation: number[], groups: number): H;
  batchNorm(input: H, weight: H | null, bias: H | null, runningMean: H | null, runningVar: H | null, training: boolean, momentum: number, eps: number): H;
  layerNorm(input: H, normalizedShape: number[], weight: H | null, bias: H | null, eps: number): H;
  linear(input: H, weight: H, bias: H | null): H;
  maxPool2d(input: H, kernelSize: number[], stride: number[], padding: number[], dilation: number[], ceilMode: boolean): H;
  avgPool2d(input: H, kernelSize: number[], stride: number[], padding: number[], ceilMode: boolean, countIncludePad: boolean): H;
  adaptiveAvgPool2d(input: H, outputSize: number[]): H;
  adaptiveMaxPool2d(input: H, outputSize: number[]): H;
  dropout(input: H, p: number, training: boolean): H;
  logSoftmax(input: H, dim: number): H;
  softmax(input: H, dim: number): H;
  crossEntropy(logits: H, target: H, reduction: Reduction, labelSmoothing: number): H;
  nllLoss(logProbabilities: H, target: H, reduction: Reduction): H;
  mseLoss(input: H, target: H, reduction: Reduction): H;
  embedding(weight: H, indices: H): H;

  setRequiresGrad(x: H, requiresGrad: boolean): void;
  requiresGrad(x: H): boolean;
  grad(x: H): H | null;
  clearGrad(x: H): void;
  backward(output: H, gradient: H | null, retainGraph: boolean): void;
  gradients(outputs: H[], inputs: H[], gradOutputs: H[] | null, createGraph: boolean): H[];
  setGradEnabled(enabled: boolean): boolean;
  isGradEnabled(): boolean;

  optimizerCreate(
    kind: "sgd" | "adam" | "adamw",
    groups: { params: H[]; weightDecay: number }[],
    options: { lr: number; momentum?: number; dampening?: number; nesterov?: boolean; beta1?: number; beta2?: number; eps?: number; fused?: boolean },
  ): OptimizerHandle;
  optimizerStep(optimizer: OptimizerHandle): boolean;
  optimizerZeroGrad(optimizer: OptimizerHandle): void;
  optimizerSetHyperparameters(optimizer: OptimizerHandle, lr: number | null, momentum: number | null): void;
  optimizerState(optimizer: OptimizerHandle): (OptimizerStateEntry | null)[];
  optimizerLoadState(optimizer: OptimizerHandle, entries: (OptimizerStateEntry | null)[]): void;

  manualSeed(seed: number): void;
  setNumThreads(threads: number): void;
  getNumThreads(): number;
  runtimeInfo(): RuntimeInfo;
  keepLargeBlocksOnHeap(mmapThresholdBytes: number, trimThresholdBytes: number): boolean;
}

export const projectRoot = findProjectRoot();

function findProjectRoot(): string {
  // Compiled files live in dist/src/torch, sources in src/torch: walk up to package.json.
  let folder = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(folder, "package.json"))) {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error("residual-lab: package.json not found above " + fileURLToPath(import.meta.url));
    folder = parent;
  }
  return folder;
}

export const addonPath = path.join(projectRoot, "build", "Release", "residual_lab.node");

function loadAddon(): NativeAddon {
  if (!existsSync(addonPath)) {
    throw new Error(`residual-lab: the native addon is not built (${addonPath} is missing): run 'npm run setup'`);
  }
  const require = createRequire(import.meta.url);
  return require(addonPath) as NativeAddon;
}

export const native: NativeAddon = loadAddon();

/**
 * glibc's malloc settings for training, as GLIBC_TUNABLES would set them: blocks up to 32 MiB
 * (every ResNet-18 gradient and activation at batch 256) stay in the heap, and up to 512 MiB of
 * free heap stays with the process. On 2 cores at batch 32 this gave 14% more images/s to
 * residual-lab and 12% to PyTorch (docs/results/benchmark.md).
 */
export const trainingMallocTunables = "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=536870912";

function applyMallocSettings(): boolean {
  // The user's own malloc settings (GLIBC_TUNABLES or glibc's older MALLOC_*_ variables), or
  // RESIDUAL_LAB_MALLOC=glibc, keep glibc's behaviour as set.
  const ownSettings = (process.env.GLIBC_TUNABLES ?? "").includes("glibc.malloc") || Object.keys(process.env).some((name) => /^MALLOC_[A-Z_]+_$/.test(name));
  const choice = process.env.RESIDUAL_LAB_MALLOC || undefined;
  const applied = choice !== "glibc" && !ownSettings && native.keepLargeBlocksOnHeap(32 * 2 ** 20, 512 * 2 ** 20);
  if (choice !== undefined && choice !== "glibc") {
    const outcome = applied ? "residual-lab's malloc thresholds apply" : "glibc's own malloc settings apply";
    process.stderr.write(`residual-lab: RESIDUAL_LAB_MALLOC='${choice}' is not a known value (expected glibc); ${outcome}\n`);
  }
  return applied;
}

/** Whether residual-lab set glibc's mmap and trim thresholds at load (see trainingMallocTunables). */
export const mallocSettingsApplied: boolean = applyMallocSettings();
