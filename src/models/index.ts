// Model families.
export { BasicBlock, ResNet, resnet18, resnet34, type ResNetOptions, type ResNetArchitecture } from "./resnet.js";
