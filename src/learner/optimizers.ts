// fastai's optimizer defaults and its split of parameters into weight-decay groups.
import { BatchNorm1d, BatchNorm2d, LayerNorm, type Module } from "../nn/index.js";
import { Optimizer, type ParamGroup, type Tensor } from "../torch/index.js";

/** Builds an optimizer from parameter groups and a learning rate. */
export type OptimizerFactory = (groups: ParamGroup[], lr: number) => Optimizer;

/**
 * fastai's Adam: betas (0.9, 0.99), eps 1e-5, and "true" (decoupled) weight decay,
 * p ← p · (1 − lr · wd), which is libtorch's AdamW.
 */
export const fastaiAdam: OptimizerFactory = (groups, lr) => new Optimizer("adamw", groups, { lr, momentum: 0.9, beta2: 0.99, eps: 1e-5 });

/** fastai's SGD: momentum 0.9, coupled (L2) weight decay. */
export const fastaiSgd: OptimizerFactory = (groups, lr) => new Optimizer("sgd", groups, { lr, momentum: 0.9 });

/**
 * Splits the parameters into a group with weight decay and one without: normalisation layers'
 * parameters and every bias go without unless wdBnBias (fastai's wd_bn_bias, default false).
 */
export function parameterGroups(model: Module, { wd, wdBnBias = false }: { wd: number; wdBnBias?: boolean }): ParamGroup[] {
  if (wdBnBias) return [{ params: model.parameters(), weightDecay: wd }];

  const decayed: Tensor[] = [];
  const undecayed: Tensor[] = [];
  for (const [, module] of model.namedModules()) {
    const isNorm = module instanceof BatchNorm1d || module instanceof BatchNorm2d || module instanceof LayerNorm;
    for (const [name, parameter] of ownParameters(module)) {
      if (isNorm || name === "bias") undecayed.push(parameter);
      else decayed.push(parameter);
    }
  }
  return [
    { params: decayed, weightDecay: wd },
    { params: undecayed, weightDecay: 0 },
  ];
}

/** The parameters a module registered itself, not those of its children. */
function ownParameters(module: Module): [string, ReturnType<Module["parameters"]>[number]][] {
  return module.namedParameters().filter(([name]) => !name.includes("."));
}
