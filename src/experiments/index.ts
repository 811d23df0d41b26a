// Experiments: residual nets against their plain twins, each from a typed config to a typed result.
export * from "./experiment.js";
export { RunFolder, writeJsonAtomically } from "./run-folder.js";
export { experiments, findExperiment } from "./registry.js";
export { runExperiment, type RunOptions } from "./run-experiment.js";
export { profileChoices, type Recipe, type ProfileChoices } from "./profiles.js";
export { trainNet, loadTrainedNet, initialNet, netKey, netName, type NetSpec, type TrainedNet, type EpochRecord } from "./trained-nets.js";
export * from "./degradation.js";
export * from "./depth-sweep.js";
export * from "./gradients.js";
export * from "./lesion.js";
export * from "./landscape.js";
export * from "./shattered.js";
export { transformer, type TransformerData, type TransformerExperimentConfig } from "./transformer.js";
