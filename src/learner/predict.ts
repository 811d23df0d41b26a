// Prediction on one image: the image comes as pixels, a PNG file or one record of an IDX file,
// and the model's softmax gives the class.
import { readFileSync } from "node:fs";
import { PNG } from "pngjs";
import { readIdx } from "../data/index.js";
import type { Module } from "../nn/index.js";
import { F, noGrad, tensor, tidy } from "../torch/index.js";

/** One image of an IDX images file (plain or .gz), by its position in the file. */
export interface IdxRecord {
  idxFile: string;
  /** Position of the image in the file, from 0. */
  index: number;
}

/**
 * An image to classify: grey levels in [0, 1] in row-major order (white digit on black, as
 * MNIST), the path of a PNG file, or one record of an IDX images file.
 */
export type ImageInput = Float32Array | string | IdxRecord;

/** The outcome of predict, as fastai's (decoded class, index, probabilities). */
export interface Prediction {
  className: string;
  /** Index of the most probable class. */
  index: number;
  /** Softmax probability of every class, indexed as the class names. */
  probabilities: number[];
}

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function describeSize([height, width]: readonly [number, number]): string {
  return `${width}x${height}`;
}

/** Decodes a PNG file to grey levels in [0, 1], checking its size against `[height, width]`. */
export function readPngImage(file: string, size: readonly [number, number]): Float32Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === "ENOENT" ? `${file}: file not found` : `${file}: failed to read (${code ?? (error as Error).message})`);
  }
  if (bytes.length < pngSignature.length || !bytes.subarray(0, pngSignature.length).equals(pngSignature)) {
    throw new Error(`${file}: not a PNG file (the PNG signature is missing); expected a PNG image or an IDX record written as FILE:INDEX`);
  }

  // The IHDR chunk follows the signature: length, type, then width and height as big-endian
  // uint32. Checking them first keeps a huge image from being decoded only to be rejected.
  const headerEnd = pngSignature.length + 16;
  if (bytes.length < headerEnd || bytes.toString("latin1", pngSignature.length + 4, pngSignature.length + 8) !== "IHDR") {
    throw new Error(`${file}: invalid PNG: the IHDR header chunk is missing or truncated`);
  }
  const width = bytes.readUInt32BE(pngSignature.length + 8);
  const height = bytes.readUInt32BE(pngSignature.length + 12);
  if (height !== size[0] || width !== size[1]) {
    throw new Error(`${file}: expected a ${describeSize(size)} image, got ${width}x${height}`);
  }

  let image: PNG;
  try {
    image = PNG.sync.read(bytes);
  } catch (error) {
    throw new Error(`${file}: invalid PNG: ${(error as Error).message}`);
  }

  // pngjs decodes every colour type and bit depth to 8-bit RGBA. The grey level is the ITU-R 601-2
  // luma, as PIL's convert("L") computes it; like PIL, this ignores the alpha channel.
  const pixels = new Float32Array(image.width * image.height);
  for (let i = 0; i < pixels.length; i++) {
    const red = image.data[4 * i];
    const green = image.data[4 * i + 1];
    const blue = image.data[4 * i + 2];
    pixels[i] = (red * 299 + green * 587 + blue * 114) / 1000 / 255;
  }
  return pixels;
}

/** Reads one image of an IDX images file as grey levels in [0, 1]. */
export function readIdxImage({ idxFile, index }: IdxRecord, size: readonly [number, number]): Float32Array {
  const { dims, data } = readIdx(idxFile, "images");
  const [count, height, width] = dims;
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`${idxFile}: image index ${index} is out of range; the file contains ${count} images (0 to ${count - 1})`);
  }
  if (height !== size[0] || width !== size[1]) {
    throw new Error(`${idxFile}: expected ${describeSize(size)} images, the file contains ${width}x${height} images`);
  }

  const pixelCount = height * width;
  const pixels = new Float32Array(pixelCount);
  for (let i = 0; i < pixelCount; i++) pixels[i] = data[index * pixelCount + i] / 255;
  return pixels;
}

/** Turns any ImageInput into grey levels in [0, 1] of the given `[height, width]`. */
export function readImage(input: ImageInput, size: readonly [number, number]): Float32Array {
  if (typeof input === "string") return readPngImage(input, size);
  if (input instanceof Float32Array) {
    const expected = size[0] * size[1];
    if (input.length !== expected) {
      throw new RangeError(`predict: expected ${expected} pixel values (${describeSize(size)}), got ${input.length}`);
    }
    const outside = input.findIndex((value) => !(value >= 0 && value <= 1));
    if (outside >= 0) throw new RangeError(`predict: expected pixel values in [0, 1], got ${input[outside]} at position ${outside}; divide 8-bit values by 255`);
    return input;
  }
  if (input && typeof input === "object" && typeof input.idxFile === "string") return readIdxImage(input, size);
  throw new TypeError("predict: expected a Float32Array of pixels, the path of a PNG file or an IDX record { idxFile, index }");
}

/**
 * Classifies one image with `model` in eval mode and no autograd, then puts the model back in
 * the mode it was in.
 */
export function predictImage(model: Module, input: ImageInput, { classNames, imageSize, device = "cpu" }: { classNames: readonly string[]; imageSize: readonly [number, number]; device?: string }): Prediction {
  const pixels = readImage(input, imageSize);
  const wasTraining = model.training;
  model.eval();
  let probabilities: number[];
  try {
    probabilities = tidy(() =>
      noGrad(() => {
        const image = tensor(pixels, { shape: [1, 1, imageSize[0], imageSize[1]] }); // [1, 1, H, W]
        const placed = device === "cpu" ? image : image.to(null, device);
        const logits = model.forward(placed); // [1, classes]
        return F.softmax(logits, 1).to(null, "cpu").toNumbers(); // classes values
      }),
    );
  } finally {
    model.train(wasTraining);
  }
  if (probabilities.length !== classNames.length) {
    throw new RangeError(`predict: the model outputs ${probabilities.length} values but there are ${classNames.length} class names`);
  }

  const index = probabilities.indexOf(Math.max(...probabilities));
  return { className: classNames[index], index, probabilities };
}
