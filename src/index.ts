// residual-lab's public API: the torch layer, modules, data, models and the Learner.
export * from "./torch/index.js";
export * from "./nn/index.js";
export * from "./data/index.js";
export * from "./models/index.js";
export * from "./learner/index.js";
