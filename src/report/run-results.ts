// Reads a run folder's result files for the report. A missing file is an expected state, because
// the experiment may not have run. A file that does not parse comes back with the parser's
// message. Neither throws, so the page can always be written.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { DegradationConfig, DegradationData } from "../experiments/degradation.js";
import type { DepthSweepData } from "../experiments/depth-sweep.js";
import type { ExperimentResult, Profile } from "../experiments/experiment.js";
import type { GradientsConfig, GradientsData } from "../experiments/gradients.js";
import type { LandscapeConfig, LandscapeData } from "../experiments/landscape.js";
import type { LesionConfig, LesionData } from "../experiments/lesion.js";
import type { ShatteredConfig, ShatteredData } from "../experiments/shattered.js";
import type { TransformerData, TransformerExperimentConfig } from "../experiments/transformer.js";
import type { Provenance } from "../torch/provenance.js";

export type Loaded<T> =
  | { status: "present"; file: string; value: T }
  | { status: "missing"; file: string }
  | { status: "unreadable"; file: string; reason: string };

/** One row of fastai's training table as the seed recipe saves it. */
export interface SeedRecipeRow {
  epoch: number;
  trainLoss: number;
  validLoss: number;
  metrics: Record<string, number>;
  seconds: number;
}

export interface TopLoss {
  /** Index of the image in the test set. */
  index: number;
  actual: string;
  predicted: string;
  loss: number;
  /** Probability the model gave its prediction. */
  probability: number;
  /** 28x28 grey values in 0..255, row-major. */
  pixels: number[];
}

/** RUNS/seed-recipe/result.json, written by `residual-lab start`. Fields added after the first version are optional. */
export interface SeedRecipeResult {
  recipe: {
    model: string;
    dataset: string;
    epochs: number;
    lr: number;
    batchSize: number;
    seed: number;
    threads?: number;
    trainLimit?: number;
    validLimit?: number;
    plain?: boolean;
    oneCycle?: boolean;
  };
  rows: SeedRecipeRow[];
  /** Raw training loss of every batch. */
  losses?: number[];
  /** The same losses smoothed as fastai's Recorder smooths them. */
  smoothLosses?: number[];
  classNames?: string[];
  /** Counts on the test set; rows are the actual class, columns the predicted class. */
  confusionMatrix?: number[][];
  topLosses?: TopLoss[];
  wallSeconds: number;
  finishedAt?: string;
  provenance?: Provenance;
}

export interface RunResults {
  runsFolder: string;
  profile: Profile;
  seedRecipe: Loaded<SeedRecipeResult>;
  degradation: Loaded<ExperimentResult<DegradationConfig, DegradationData>>;
  depthSweep: Loaded<ExperimentResult<DegradationConfig, DepthSweepData>>;
  gradients: Loaded<ExperimentResult<GradientsConfig, GradientsData>>;
  lesion: Loaded<ExperimentResult<LesionConfig, LesionData>>;
  landscape: Loaded<ExperimentResult<LandscapeConfig, LandscapeData>>;
  shattered: Loaded<ExperimentResult<ShatteredConfig, ShatteredData>>;
  transformer: Loaded<ExperimentResult<TransformerExperimentConfig, TransformerData>>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads a JSON file and checks its top-level shape; the check is shallow, so each section still guards its own reads. */
function loadJson<T>(file: string, check: (value: Record<string, unknown>) => string | null): Loaded<T> {
  if (!existsSync(file)) return { status: "missing", file };
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return { status: "unreadable", file, reason: (error as Error).message };
  }
  if (!isObject(value)) return { status: "unreadable", file, reason: "expected a JSON object" };
  const problem = check(value);
  if (problem !== null) return { status: "unreadable", file, reason: problem };
  return { status: "present", file, value: value as T };
}

function experimentCheck(name: string, dataArrays: readonly string[]) {
  return (value: Record<string, unknown>): string | null => {
    if (value.experiment !== name) return `expected "experiment": "${name}", found ${JSON.stringify(value.experiment)}`;
    if (!isObject(value.data)) return `expected a "data" object`;
    if (!isObject(value.config)) return `expected a "config" object`;
    const data = value.data;
    for (const field of dataArrays) {
      if (!Array.isArray(data[field])) return `expected "data.${field}" to be an array`;
    }
    return null;
  };
}

function seedRecipeCheck(value: Record<string, unknown>): string | null {
  if (!isObject(value.recipe)) return `expected a "recipe" object`;
  if (!Array.isArray(value.rows)) return `expected "rows" to be an array`;
  return null;
}

/** Returns where an experiment's result lies in a run folder: RUNS/PROFILE/NAME/result.json. */
export function experimentResultPath(runsFolder: string, profile: Profile, name: string): string {
  return path.join(runsFolder, profile, name, "result.json");
}

export function seedRecipeResultPath(runsFolder: string): string {
  return path.join(runsFolder, "seed-recipe", "result.json");
}

export function readRunResults(runsFolder: string, profile: Profile): RunResults {
  const root = path.resolve(runsFolder);
  const experiment = <T>(name: string, dataArrays: readonly string[]) => loadJson<T>(experimentResultPath(root, profile, name), experimentCheck(name, dataArrays));
  return {
    runsFolder: root,
    profile,
    seedRecipe: loadJson(seedRecipeResultPath(root), seedRecipeCheck),
    degradation: experiment("degradation", ["runs", "findings"]),
    depthSweep: experiment("depth-sweep", ["answers"]),
    gradients: experiment("gradients", ["runs", "comparisons"]),
    lesion: experiment("lesion", ["runs", "comparisons"]),
    landscape: experiment("landscape", ["runs", "comparisons"]),
    shattered: experiment("shattered", ["runs", "comparisons"]),
    transformer: experiment("transformer", ["runs", "attentionOnly", "comparisons", "rankCollapse"]),
  };
}
