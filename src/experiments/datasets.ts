// Datasets for experiments, loaded once per process: every experiment of a run shares them.
import { loadDatasetByName, type DatasetSplits } from "../data/index.js";
import type { Tensor } from "../torch/index.js";
import { isTransformerTaskName } from "./transformer-tasks.js";

const loaded = new Map<string, DatasetSplits>();

/**
 * Picks the image data sets from a `--datasets` list: `experiment all` passes one list to every
 * experiment, and the transformer's task names in it are not images. Returns `fallback` when no
 * image data set is left.
 */
export function imageDatasetsFrom(names: string[] | undefined, fallback: string[]): string[] {
  const images = (names ?? []).filter((name) => !isTransformerTaskName(name));
  return images.length > 0 ? images : fallback;
}

/** The first `trainLimit` training and `validLimit` test images of a dataset, cached. */
export function experimentDataset(name: string, trainLimit: number, validLimit: number): DatasetSplits {
  const key = `${name}|${trainLimit}|${validLimit}`;
  let splits = loaded.get(key);
  if (!splits) {
    splits = loadDatasetByName(name, { train: trainLimit, valid: validLimit });
    loaded.set(key, splits);
  }
  return splits;
}

/** Returns the first `count` images of a split as a float batch in [0, 1]: [count, 1, 28, 28]. */
export function imageBatch(split: DatasetSplits["train"], count: number): Tensor {
  const size = Math.min(count, split.length);
  return split.images.narrow(0, 0, size).float().div(255).unsqueeze(1);
}
