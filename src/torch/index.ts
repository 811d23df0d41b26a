// The typed torch API of residual-lab.
export { Tensor, tensor, type Shape } from "./tensor.js";
export type { DType } from "./dtype.js";
export type { MemoryFormat, Reduction, RuntimeInfo } from "./native.js";
export { mallocSettingsApplied, trainingMallocTunables } from "./native.js";
export { backends } from "./backends.js";
export * from "./creation.js";
export { noGrad, enableGrad, isGradEnabled, gradients } from "./autograd.js";
export { tidy, keep } from "./scope.js";
export { manualSeed, setNumThreads, getNumThreads, defaultThreadCount, runtimeInfo, liveTensors } from "./runtime.js";
export { Optimizer, sgd, adam, adamW, type ParamGroup, type OptimizerOptions, type OptimizerKind, type OptimizerState } from "./optim.js";
export * as F from "./functional.js";
export { saveSafetensors, loadSafetensors } from "./safetensors.js";
export { provenance, type Provenance } from "./provenance.js";
