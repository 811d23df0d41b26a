// Batches of an ImageClassificationDataset, assembled on the native side: each batch is one
// indexSelect on the whole image tensor, so no pixel passes through JavaScript.
import { keep, tensor, tidy, type MemoryFormat, type Tensor } from "../torch/index.js";
import type { ImageClassificationDataset } from "./image-classification-dataset.js";
import { generatorForEpoch, randomPermutation } from "./random.js";

/** One batch: images scaled to [0, 1] and their labels. */
export interface Batch {
  /** float32 [B, 1, H, W], pixel / 255, as torchvision's ToTensor scales. */
  x: Tensor;
  /** int64 [B], class indices. */
  y: Tensor;
}

/** DataLoader options. The defaults are those of fastai's and PyTorch's DataLoader. */
export interface DataLoaderOptions {
  /** Images per batch. Default 64. */
  batchSize?: number;
  /** Visits the images in a new random order each epoch. Default false. */
  shuffle?: boolean;
  /** Skips the last batch when it contains fewer than batchSize images. Default false. */
  dropLast?: boolean;
  /** Seed of the shuffle order: the same seed and epoch give the same order. Default 0. */
  seed?: number;
  /** Memory format of x: "channels_last" gives it NHWC strides. Default "contiguous". */
  memoryFormat?: MemoryFormat;
}

export class DataLoader implements Iterable<Batch> {
  readonly dataset: ImageClassificationDataset;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly seed: number;
  readonly memoryFormat: MemoryFormat;
  private nextEpoch = 0;

  constructor(dataset: ImageClassificationDataset, options: DataLoaderOptions = {}) {
    const { batchSize = 64, shuffle = false, dropLast = false, seed = 0, memoryFormat = "contiguous" } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`DataLoader: seed must be a non-negative integer, got ${seed}`);
    if (memoryFormat !== "contiguous" && memoryFormat !== "channels_last") {
      throw new RangeError(`DataLoader: memoryFormat must be "contiguous" or "channels_last", got ${String(memoryFormat)}`);
    }

    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.seed = seed;
    this.memoryFormat = memoryFormat;
  }

  /** Number of batches in one epoch. */
  get length(): number {
    const batches = this.dataset.length / this.batchSize;
    return this.dropLast ? Math.floor(batches) : Math.ceil(batches);
  }

  /** The epoch that the next `for...of` over this loader runs, counting from 0. */
  get epoch(): number {
    return this.nextEpoch;
  }

  /** Sets the epoch that the next `for...of` runs, for example to resume a training run. */
  setEpoch(epoch: number): void {
    if (!Number.isSafeInteger(epoch) || epoch < 0) throw new RangeError(`DataLoader.setEpoch: epoch must be a non-negative integer, got ${epoch}`);
    this.nextEpoch = epoch;
  }

  /** Returns the order in which `epoch` visits the dataset: a permutation when shuffling, else 0..N-1. */
  indicesForEpoch(epoch: number): Int32Array {
    const count = this.dataset.length;
    if (this.shuffle) return randomPermutation(count, generatorForEpoch(this.seed, epoch));

    const order = new Int32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    return order;
  }

  /** Iterates the batches of the next epoch and advances the epoch counter. */
  [Symbol.iterator](): Generator<Batch> {
    const epoch = this.nextEpoch;
    this.nextEpoch += 1;
    return this.batches(epoch);
  }

  /**
   * Iterates the batches of `epoch` without touching the epoch counter. The caller owns each
   * batch's tensors: dispose them, or fetch the batch inside a tidy scope.
   */
  *batches(epoch: number): Generator<Batch> {
    const order = this.indicesForEpoch(epoch);
    const batchCount = this.length;

    // keep(): a caller's tidy scope around one next() call must not free the order that later batches read.
    const orderTensor = keep(tidy(() => tensor(order, { shape: [order.length] }).to("int64"))); // [N] int64
    try {
      for (let batch = 0; batch < batchCount; batch++) {
        const start = batch * this.batchSize;
        const size = Math.min(this.batchSize, order.length - start);
        yield this.assembleBatch(orderTensor, start, size);
      }
    } finally {
      orderTensor.dispose();
    }
  }

  private assembleBatch(order: Tensor, start: number, size: number): Batch {
    return tidy(() => {
      const indices = order.narrow(0, start, size); // [B] int64
      const pixels = this.dataset.images.indexSelect(0, indices); // [B, H, W] uint8

      const scaled = pixels.float().div(255); // [B, H, W] float32 in [0, 1]

      // With one channel, libtorch 1.13's contiguous("channels_last") keeps the NCHW strides,
      // because it counts that layout as both formats. Permuting [B, H, W, 1] gives NHWC
      // strides without a copy, and conv2d keeps channels_last for such an input.
      const x =
        this.memoryFormat === "channels_last"
          ? scaled.unsqueeze(3).permute(0, 3, 1, 2) // [B, 1, H, W], NHWC strides
          : scaled.unsqueeze(1); // [B, 1, H, W]

      const y = this.dataset.labels.indexSelect(0, indices); // [B] int64
      return { x, y };
    });
  }
}
