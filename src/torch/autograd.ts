// Grad-mode scopes and gradients that do not touch .grad.
import { native } from "./native.js";
import { Tensor } from "./tensor.js";

/** Runs fn with autograd recording off, like `with torch.no_grad()`; restores the previous mode. */
export function noGrad<T>(fn: () => T): T {
  const previous = native.setGradEnabled(false);
  try {
    return fn();
  } finally {
    native.setGradEnabled(previous);
  }
}

/** Runs fn with autograd recording on, even inside noGrad. */
export function enableGrad<T>(fn: () => T): T {
  const previous = native.setGradEnabled(true);
  try {
    return fn();
  } finally {
    native.setGradEnabled(previous);
  }
}

export function isGradEnabled(): boolean {
  return native.isGradEnabled();
}

/**
 * Returns d(sum of outputs · gradOutputs)/d(input) for each input, as torch.autograd.grad;
 * inputs the outputs do not depend on get zeros.
 */
export function gradients(
  outputs: readonly Tensor[],
  inputs: readonly Tensor[],
  { gradOutputs = null, createGraph = false }: { gradOutputs?: readonly Tensor[] | null; createGraph?: boolean } = {},
): Tensor[] {
  const handles = native.gradients(
    outputs.map((t) => t.handle),
    inputs.map((t) => t.handle),
    gradOutputs ? gradOutputs.map((t) => t.handle) : null,
    createGraph,
  );
  return handles.map((handle) => new Tensor(handle));
}
