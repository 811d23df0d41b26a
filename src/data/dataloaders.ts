// The training and validation loaders that a Learner fits on, as fastai's DataLoaders.
import type { MemoryFormat } from "../torch/index.js";
import { DataLoader } from "./dataloader.js";
import type { ImageClassificationDataset } from "./image-classification-dataset.js";

/** Options of DataLoaders.fromDatasets. */
export interface DataLoadersOptions {
  /** Images per training batch. Default 64, fastai's default. */
  batchSize?: number;
  /** Images per validation batch. Default: batchSize, as in fastai. */
  validBatchSize?: number;
  /** Seed of the training shuffle order. Default 0. */
  seed?: number;
  /** Memory format of x in both loaders. Default "contiguous". */
  memoryFormat?: MemoryFormat;
}

function sameClassNames(first: readonly string[], second: readonly string[]): boolean {
  return first.length === second.length && first.every((name, index) => name === second[index]);
}

export class DataLoaders {
  readonly train: DataLoader;
  readonly valid: DataLoader;
  /** Class names indexed by label, shared by both loaders. */
  readonly classNames: readonly string[];
  /** Input channels of x: the images are grayscale. */
  readonly nIn = 1;

  constructor(train: DataLoader, valid: DataLoader) {
    const trainNames = train.dataset.classNames;
    const validNames = valid.dataset.classNames;
    if (!sameClassNames(trainNames, validNames)) {
      throw new RangeError(`DataLoaders: train and valid class names differ: [${trainNames.join(", ")}] and [${validNames.join(", ")}]`);
    }

    this.train = train;
    this.valid = valid;
    this.classNames = trainNames;
  }

  /**
   * Wraps two datasets with fastai's defaults: the training loader shuffles and drops its
   * last partial batch, and the validation loader does neither.
   */
  static fromDatasets(train: ImageClassificationDataset, valid: ImageClassificationDataset, options: DataLoadersOptions = {}): DataLoaders {
    const { batchSize = 64, seed = 0, memoryFormat = "contiguous" } = options;
    const validBatchSize = options.validBatchSize ?? batchSize;

    const trainLoader = new DataLoader(train, { batchSize, shuffle: true, dropLast: true, seed, memoryFormat });
    const validLoader = new DataLoader(valid, { batchSize: validBatchSize, shuffle: false, dropLast: false, seed, memoryFormat });
    return new DataLoaders(trainLoader, validLoader);
  }
}
