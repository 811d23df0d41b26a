// Small data and models for Learner tests: an MNIST subset and a network of a few hundred weights.
import { DataLoaders, loadMnist } from "../../src/data/index.js";
import type { EpochLogger } from "../../src/learner/index.js";
import { AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Flatten, Linear, ReLU, Sequential } from "../../src/nn/index.js";

export const silent: EpochLogger = { row: () => undefined };

export function smallNet(): Sequential {
  return new Sequential(new Conv2d(1, 8, 3, { stride: 2 }), new BatchNorm2d(8), new ReLU(), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(8, 10));
}

export function mnistLoaders(train: number, valid: number, batchSize = 32, seed = 0): DataLoaders {
  const splits = loadMnist({ limit: { train, valid } });
  return DataLoaders.fromDatasets(splits.train, splits.valid, { batchSize, seed });
}
