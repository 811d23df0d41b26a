// Model families.
export { BasicBlock, ResNet, resnet18, resnet34, type ResNetOptions, type ResNetArchitecture } from "./resnet.js";
export { CifarResNet, CifarBlock, cifarResNet, type CifarResNetOptions, type ShortcutOption } from "./cifar-resnet.js";
export { Mlp, type MlpOptions } from "./mlp.js";
export { SpeedrunNet, type SpeedrunNetOptions } from "./speedrun-net.js";
export { Transformer, TransformerBlock, CausalSelfAttention, TransformerMlp, type TransformerOptions, type TransformerBlockOptions, type AttentionOptions, type NormPlacement } from "./transformer.js";
