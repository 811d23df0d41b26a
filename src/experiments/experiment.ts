// The experiment contract: a typed config in, a typed JSON-serialisable result out, the profile
// that chose the config, and the run folder that caches finished parts.
import type { Provenance } from "../torch/index.js";
import type { RunFolder } from "./run-folder.js";

/** quick: all experiments together in about 10 minutes on 2 cores; full: the papers' depths and epochs. */
export type Profile = "quick" | "full";

/** Command-line overrides of a profile's choices; unset fields keep the profile's values. */
export interface ExperimentOverrides {
  datasets?: string[];
  seeds?: number[];
  depths?: number[];
}

export interface ExperimentContext {
  profile: Profile;
  /** The folder that caches this experiment's parts (runs/PROFILE/NAME/). */
  folder: RunFolder;
  /** Progress and log lines, to stderr. */
  log(message: string): void;
}

/** One experiment's saved result (runs/NAME/result.json). */
export interface ExperimentResult<Config, Data> {
  experiment: string;
  profile: Profile;
  config: Config;
  data: Data;
  provenance: Provenance;
  startedAt: string;
  finishedAt: string;
  /** Wall time of this invocation; parts reused from an earlier run add nothing. */
  wallSeconds: number;
  /**
   * Seconds recorded by every part the result is built from, reused parts included; absent from
   * results written before parts were tallied.
   */
  partSeconds?: number;
}

export interface Experiment<Config, Data> {
  /** The name on the command line and the run folder's name. */
  readonly name: string;
  /** One line for `residual-lab experiment --help`. */
  readonly summary: string;
  /** The config a profile stands for, with overrides applied. */
  configFor(profile: Profile, overrides: ExperimentOverrides): Config;
  run(config: Config, context: ExperimentContext): Promise<Data>;
}

/** Mean and spread of repeated measurements (seeds). */
export interface Spread {
  mean: number;
  /** Sample standard deviation (n - 1); 0 for a single value. */
  std: number;
  min: number;
  max: number;
  n: number;
}

export function spread(values: readonly number[]): Spread {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  const mean = values.reduce((total, value) => total + value, 0) / n;
  const variance = n > 1 ? values.reduce((total, value) => total + (value - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(variance), min: Math.min(...values), max: Math.max(...values), n };
}

/**
 * Compares two groups of seeds: "a" or "b" when the gap between the means exceeds the sum of
 * both groups' seed ranges (max - min), else "inconclusive". The range is the seed-to-seed
 * spread the data itself shows; with two seeds a standard deviation says little more.
 */
export function compareGroups(a: readonly number[], b: readonly number[], lowerIsBetter = true): "a" | "b" | "inconclusive" {
  const first = spread(a);
  const second = spread(b);
  const gap = Math.abs(first.mean - second.mean);
  const noise = first.max - first.min + (second.max - second.min);
  if (first.n < 2 || second.n < 2 || gap <= noise) return "inconclusive";
  const aIsLower = first.mean < second.mean;
  return aIsLower === lowerIsBetter ? "a" : "b";
}

/** The twin that did better beyond the seed spread, or "inconclusive". */
export type TwinVerdict = "residual" | "plain" | "inconclusive";

/** compareGroups for the residual (first) and plain (second) twins' values. */
export function compareTwins(residual: readonly number[], plain: readonly number[], lowerIsBetter = true): TwinVerdict {
  const verdict = compareGroups(residual, plain, lowerIsBetter);
  if (verdict === "a") return "residual";
  return verdict === "b" ? "plain" : "inconclusive";
}

/**
 * Lets the event loop turn. Node 20 runs the finalizers of released tensor handles only there;
 * a long synchronous loop of forward passes that never yields fragments the heap until it holds
 * gigabytes, so measurement loops yield after every evaluation.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
