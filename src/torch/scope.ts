// Deterministic release of tensors. A native finalizer frees every tensor once its JS object
// is collected; tidy() frees the tensors a block made as soon as the block ends, which keeps a
// training loop's memory flat without waiting for the garbage collector.
import type { Tensor } from "./tensor.js";

const scopes: Set<Tensor>[] = [];

/** Records a new tensor in the innermost tidy scope, if there is one. */
export function track(tensor: Tensor): void {
  scopes[scopes.length - 1]?.add(tensor);
}

/** Removes a tensor from every open scope so that no tidy() disposes it. */
export function keep<T extends Tensor>(tensor: T): T {
  for (const scope of scopes) scope.delete(tensor);
  return tensor;
}

function collectTensors(value: unknown, found: Set<Tensor>, isTensor: (value: unknown) => value is Tensor): void {
  if (isTensor(value)) {
    found.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectTensors(item, found, isTensor);
  } else if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) collectTensors(item, found, isTensor);
  }
}

let tensorCheck: ((value: unknown) => value is Tensor) | null = null;

/** Lets tensor.ts register its instanceof check without a circular import at load time. */
export function registerTensorCheck(check: (value: unknown) => value is Tensor): void {
  tensorCheck = check;
}

/**
 * Runs fn and then disposes every tensor it created, except those in its return value
 * (a tensor, or arrays and plain objects holding tensors), which move to the enclosing scope.
 * fn must be synchronous: a promise would escape the scope.
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Tensor>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    // Nothing escapes a failed block, so everything it made is released.
    scopes.pop();
    for (const tensor of scope) tensor.dispose();
    throw error;
  }
  scopes.pop();
  if (result instanceof Promise) throw new Error("tidy: fn must be synchronous, it returned a Promise");

  const returned = new Set<Tensor>();
  if (tensorCheck) collectTensors(result, returned, tensorCheck);
  for (const tensor of scope) {
    if (returned.has(tensor)) track(tensor);
    else tensor.dispose();
  }
  return result;
}
