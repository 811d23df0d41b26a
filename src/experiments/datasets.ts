// Datasets for experiments, loaded once per process: every experiment of a run shares them.
import { loadDatasetByName, type DatasetSplits } from "../data/index.js";

const loaded = new Map<string, DatasetSplits>();

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
