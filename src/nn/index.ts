// Modules and layers, as torch.nn.
export { Module, type StateDict } from "./module.js";
export { Conv2d, Linear, BatchNorm1d, BatchNorm2d, LayerNorm, type Conv2dOptions, type BatchNormOptions } from "./layers.js";
export { ReLU, GELU, Identity, MaxPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d, AdaptiveConcatPool2d, Flatten, Dropout } from "./activations.js";
export { Sequential } from "./sequential.js";
export * as init from "./init.js";
