// Optimizers over libtorch's own: one native call per step, whatever the parameter count, with
// fused update loops by default.
import { native, type OptimizerHandle, type OptimizerStateEntry } from "./native.js";
import { Tensor } from "./tensor.js";

export interface ParamGroup {
  params: readonly Tensor[];
  /** Weight decay of this group; 0 turns it off (fastai's default for BatchNorm and bias). */
  weightDecay: number;
}

export type OptimizerKind = "sgd" | "adam" | "adamw";

export interface OptimizerOptions {
  /** Learning rate. */
  lr: number;
  /** SGD momentum, or Adam's beta1. SGD default 0; Adam default 0.9. */
  momentum?: number;
  /** SGD dampening; default 0. */
  dampening?: number;
  /** SGD Nesterov momentum; default false. */
  nesterov?: boolean;
  /** Adam beta2; default 0.999 as PyTorch (fastai uses 0.99). */
  beta2?: number;
  /** Adam epsilon; default 1e-8 as PyTorch (fastai uses 1e-5). */
  eps?: number;
  /**
   * Default true: each step reads and writes every parameter and buffer once (native fused
   * loops) instead of running libtorch's chain of tensor ops. Both give the same values to float
   * rounding. Only dense float32 parameters take the fused loops; others take libtorch's path.
   */
  fused?: boolean;
}

/** One saved entry per parameter, in parameter-group order. */
export interface OptimizerState {
  kind: OptimizerKind;
  entries: ({ step: number | null; buffers: Record<string, Tensor> } | null)[];
}

/**
 * SGD (coupled L2 weight decay), Adam (coupled L2) or AdamW (decoupled: p -= lr·wd·p, which is
 * fastai's "true weight decay").
 */
export class Optimizer {
  readonly kind: OptimizerKind;
  readonly groups: readonly ParamGroup[];
  private readonly handle: OptimizerHandle;
  private currentLr: number;
  private currentMomentum: number;
  /** Whether the last step ran the fused loops (false before the first step). */
  lastStepWasFused = false;

  constructor(kind: OptimizerKind, groups: readonly ParamGroup[], options: OptimizerOptions) {
    if (!(options.lr >= 0)) throw new RangeError(`optimizer: lr must be a non-negative number, got ${options.lr}`);
    this.kind = kind;
    this.groups = groups;
    this.currentLr = options.lr;
    this.currentMomentum = options.momentum ?? (kind === "sgd" ? 0 : 0.9);
    this.handle = native.optimizerCreate(
      kind,
      groups.map((group) => ({ params: group.params.map((p) => p.handle), weightDecay: group.weightDecay })),
      { ...options, momentum: this.currentMomentum, beta1: this.currentMomentum },
    );
  }

  get lr(): number {
    return this.currentLr;
  }

  get momentum(): number {
    return this.currentMomentum;
  }

  /** Sets the learning rate and/or momentum (Adam: beta1) of every group before the next step. */
  setHyperparameters({ lr, momentum }: { lr?: number; momentum?: number }): void {
    if (lr !== undefined) this.currentLr = lr;
    if (momentum !== undefined) this.currentMomentum = momentum;
    native.optimizerSetHyperparameters(this.handle, lr ?? null, momentum ?? null);
  }

  step(): void {
    this.lastStepWasFused = native.optimizerStep(this.handle);
  }

  /** Drops every parameter's gradient (PyTorch's set_to_none=True). */
  zeroGrad(): void {
    native.optimizerZeroGrad(this.handle);
  }

  stateDict(): OptimizerState {
    const entries = native.optimizerState(this.handle).map((entry) => {
      if (entry === null) return null;
      const buffers = Object.fromEntries(Object.entries(entry.buffers).map(([name, handle]) => [name, new Tensor(handle)]));
      return { step: entry.step, buffers };
    });
    return { kind: this.kind, entries };
  }

  loadStateDict(state: OptimizerState): void {
    if (state.kind !== this.kind) throw new TypeError(`optimizer: cannot load ${state.kind} state into a ${this.kind} optimizer`);
    const entries: (OptimizerStateEntry | null)[] = state.entries.map((entry) =>
      entry === null ? null : { step: entry.step, buffers: Object.fromEntries(Object.entries(entry.buffers).map(([name, t]) => [name, t.handle])) },
    );
    native.optimizerLoadState(this.handle, entries);
  }
}

export function sgd(groups: readonly ParamGroup[], options: OptimizerOptions): Optimizer {
  return new Optimizer("sgd", groups, options);
}

export function adam(groups: readonly ParamGroup[], options: OptimizerOptions): Optimizer {
  return new Optimizer("adam", groups, options);
}

export function adamW(groups: readonly ParamGroup[], options: OptimizerOptions): Optimizer {
  return new Optimizer("adamw", groups, options);
}
