// Process-wide libtorch settings: seeding, threads, and what the engine is.
import os from "node:os";
import { native, type RuntimeInfo } from "./native.js";

/** Seeds libtorch's default generators (initialisation, dropout, randn). */
export function manualSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`manualSeed: seed must be a non-negative integer, got ${seed}`);
  native.manualSeed(seed);
}

/** Sets libtorch's intra-op thread count. */
export function setNumThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`setNumThreads: thread count must be a positive integer, got ${threads}`);
  native.setNumThreads(threads);
}

export function getNumThreads(): number {
  return native.getNumThreads();
}

/** The number of threads residual-lab uses unless told otherwise: one per available core. */
export function defaultThreadCount(): number {
  return os.availableParallelism();
}

export function runtimeInfo(): RuntimeInfo {
  return native.runtimeInfo();
}

/** Live native tensors (handles not yet freed) and their bytes. */
export function liveTensors(): { count: number; bytes: number } {
  return native.liveTensors();
}
