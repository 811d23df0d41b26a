// A labelled set of grayscale images kept whole on the native side: one uint8 tensor for all
// images and one int64 tensor for all labels, so that a batch is one indexSelect away.
import { keep, tensor, tidy, type Tensor } from "../torch/index.js";
import type { IdxFile } from "./idx.js";

/** Options for building a dataset from IDX contents. */
export interface IdxDatasetOptions {
  /** Keeps only the first `limit` images and labels. Default: all. A limit above the set's size keeps all. */
  limit?: number;
  /** Name used in error messages, such as "MNIST train". Default "dataset". */
  name?: string;
}

function describeTensor(value: Tensor): string {
  return `${value.dtype} [${value.shape.join(", ")}]`;
}

export class ImageClassificationDataset {
  /** All images, uint8 [N, H, W], pixel values 0 to 255. */
  readonly images: Tensor;
  /** The class index of each image, int64 [N], each in [0, classNames.length). */
  readonly labels: Tensor;
  /** Class names, indexed by label. */
  readonly classNames: readonly string[];
  /** Name used in error messages. */
  readonly name: string;

  /**
   * Takes ownership of `images` and `labels` and removes them from every open tidy scope, so
   * that they live until dispose() or garbage collection. Throws when the dtypes, shapes,
   * counts or label range are wrong.
   */
  constructor(images: Tensor, labels: Tensor, classNames: readonly string[], name = "dataset") {
    if (images.dtype !== "uint8" || images.ndim !== 3) {
      throw new TypeError(`${name}: expected images as uint8 [N, H, W], got ${describeTensor(images)}`);
    }
    if (labels.dtype !== "int64" || labels.ndim !== 1) {
      throw new TypeError(`${name}: expected labels as int64 [N], got ${describeTensor(labels)}`);
    }
    const imageCount = images.shape[0];
    const labelCount = labels.shape[0];
    if (imageCount !== labelCount) {
      throw new RangeError(`${name}: expected one label per image, found ${imageCount} images and ${labelCount} labels`);
    }
    if (classNames.length === 0) throw new RangeError(`${name}: expected at least one class name, got none`);

    if (labelCount > 0) {
      const [minimum, maximum] = tidy(() => [labels.min().item(), labels.max().item()]);
      if (minimum < 0 || maximum >= classNames.length) {
        throw new RangeError(
          `${name}: expected labels in [0, ${classNames.length}) for ${classNames.length} class names, found labels from ${minimum} to ${maximum}`,
        );
      }
    }

    this.images = keep(images);
    this.labels = keep(labels);
    this.classNames = [...classNames];
    this.name = name;
  }

  /**
   * Builds a dataset from the contents of an images IDX file and a labels IDX file, copying
   * the first `limit` entries into native tensors. Throws when the two counts disagree, even
   * when a limit would hide the difference.
   */
  static fromIdx(images: IdxFile, labels: IdxFile, classNames: readonly string[], options: IdxDatasetOptions = {}): ImageClassificationDataset {
    const { limit, name = "dataset" } = options;
    const [imageCount, rows, columns] = images.dims;
    const labelCount = labels.dims[0];
    if (images.dims.length !== 3 || labels.dims.length !== 1) {
      throw new RangeError(`${name}: expected image dims [N, rows, cols] and label dims [N], got [${images.dims.join(", ")}] and [${labels.dims.join(", ")}]`);
    }
    if (imageCount !== labelCount) {
      throw new RangeError(`${name}: expected one label per image, found ${imageCount} images and ${labelCount} labels`);
    }
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
      throw new RangeError(`${name}: limit must be a positive integer, got ${limit}`);
    }

    const count = Math.min(limit ?? imageCount, imageCount);
    const imageTensor = tensor(images.data.subarray(0, count * rows * columns), { shape: [count, rows, columns] }); // [N, H, W] uint8
    const labelTensor = tidy(() => tensor(labels.data.subarray(0, count), { shape: [count] }).to("int64")); // [N] int64
    return new ImageClassificationDataset(imageTensor, labelTensor, classNames, name);
  }

  /** Number of images. */
  get length(): number {
    return this.images.shape[0];
  }

  /** Image height and width in pixels. */
  get imageSize(): [number, number] {
    const [, height, width] = this.images.shape;
    return [height, width];
  }

  /** Frees both tensors now; later use of the dataset throws. */
  dispose(): void {
    this.images.dispose();
    this.labels.dispose();
  }
}
