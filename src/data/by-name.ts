// Picks a dataset by the name a user types: "mnist", "fashion-mnist" or a folder of IDX files.
import { existsSync, statSync } from "node:fs";
import { loadFashionMnist, loadIdxFolder, loadMnist, type DatasetSplits } from "./datasets.js";

export const namedDatasets = ["mnist", "fashion-mnist"] as const;

export interface DatasetLimits {
  /** Keep the first `train` training images. */
  train?: number;
  /** Keep the first `valid` validation images. */
  valid?: number;
}

/** Returns whether `name` is a named dataset or an existing folder, the two things loadDatasetByName loads. */
export function isDatasetName(name: string): boolean {
  return (namedDatasets as readonly string[]).includes(name) || (existsSync(name) && statSync(name).isDirectory());
}

/** Loads "mnist", "fashion-mnist", or the IDX folder at that path. */
export function loadDatasetByName(name: string, limit: DatasetLimits = {}): DatasetSplits {
  if (name === "mnist") return loadMnist({ limit });
  if (name === "fashion-mnist") return loadFashionMnist(undefined, { limit });
  if (isDatasetName(name)) return loadIdxFolder(name, { limit });
  throw new Error(`dataset '${name}' not found: expected mnist, fashion-mnist or a folder holding IDX files`);
}
