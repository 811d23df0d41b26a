// Datasets and data loaders: IDX files into native tensors, and batches for training.
export { readIdx, type IdxFile, type IdxKind } from "./idx.js";
export { ImageClassificationDataset, type IdxDatasetOptions } from "./image-classification-dataset.js";
export {
  loadMnist,
  loadFashionMnist,
  loadIdxFolder,
  mnistClassNames,
  fashionMnistClassNames,
  defaultFashionMnistFolder,
  type DatasetSplits,
  type LoadOptions,
  type IdxFolderOptions,
} from "./datasets.js";
export { DataLoader, type Batch, type DataLoaderOptions } from "./dataloader.js";
export { DataLoaders, type DataLoadersOptions } from "./dataloaders.js";
export { Mulberry32, generatorForEpoch, randomPermutation } from "./random.js";
export { isDatasetName, loadDatasetByName, namedDatasets, type DatasetLimits } from "./by-name.js";
