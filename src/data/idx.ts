// Reader for IDX files, the format MNIST and Fashion-MNIST ship in. An IDX file is a magic
// number (two zero bytes, an element type byte, a dimension count byte), one big-endian
// uint32 per dimension, then the elements in row-major order.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** Kind of IDX file: uint8 images [N, rows, cols] or uint8 labels [N]. */
export type IdxKind = "images" | "labels";

/** The contents of an IDX file. */
export interface IdxFile {
  /** Size of each dimension, outermost first: [N, rows, cols] for images, [N] for labels. */
  dims: number[];
  /** Elements in row-major order, as a view into the bytes read from the file (not a copy). */
  data: Uint8Array;
}

const uint8TypeCode = 0x08;
const dimensionCounts: Record<IdxKind, number> = { images: 3, labels: 1 };

const elementTypeNames: Record<number, string> = {
  0x08: "uint8",
  0x09: "int8",
  0x0b: "int16",
  0x0c: "int32",
  0x0d: "float32",
  0x0e: "float64",
};

function formatMagic(magic: number): string {
  return `0x${magic.toString(16).padStart(8, "0")}`;
}

function fileError(filePath: string, problem: string): Error {
  return new Error(`${filePath}: ${problem}`);
}

/** Reads the file's bytes, decompressing when its name ends in .gz. */
function readBytes(filePath: string): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = readFileSync(filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw fileError(filePath, "file not found");
    throw fileError(filePath, `failed to read (${code ?? (error as Error).message})`);
  }

  if (!filePath.endsWith(".gz")) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw fileError(filePath, `corrupt gzip data, decompression failed: ${(error as Error).message}`);
  }
}

/** Describes what the dimensions count, as in "60000 images of 28x28". */
function describeContents(kind: IdxKind, dims: readonly number[]): string {
  if (kind === "labels") return `${dims[0]} labels`;
  return `${dims[0]} images of ${dims.slice(1).join("x")}`;
}

/**
 * Reads an uncompressed or gzipped (name ending in .gz) IDX file of uint8 images or labels.
 * Throws one Error naming the file when it is missing, is not valid gzip, has the wrong magic
 * number or dimension count, has a dimension of size 0, or is not exactly as long as its header
 * promises.
 */
export function readIdx(filePath: string, kind: IdxKind): IdxFile {
  const bytes = readBytes(filePath);
  const decompressed = filePath.endsWith(".gz") ? " after decompression" : "";
  const dimensionCount = dimensionCounts[kind];
  const expectedMagic = (uint8TypeCode << 8) | dimensionCount;

  if (bytes.length < 4) {
    throw fileError(filePath, `header too short: expected at least 4 bytes for the magic number, found ${bytes.length}${decompressed}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);

  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const gzipHint = bytes[0] === 0x1f && bytes[1] === 0x8b ? " (the file is gzip-compressed, so its name should end in .gz)" : "";
    throw fileError(filePath, `bad magic number: expected ${formatMagic(expectedMagic)} (uint8 ${kind}), found ${formatMagic(magic)}${gzipHint}`);
  }
  if (bytes[2] !== uint8TypeCode) {
    const typeName = elementTypeNames[bytes[2]] ?? "unknown type";
    throw fileError(
      filePath,
      `bad magic number: expected ${formatMagic(expectedMagic)} (uint8 ${kind}), found ${formatMagic(magic)} (${typeName} elements); only uint8 IDX files are supported`,
    );
  }
  if (bytes[3] !== dimensionCount) {
    throw fileError(
      filePath,
      `wrong dimension count: expected ${dimensionCount} for ${kind} (magic ${formatMagic(expectedMagic)}), found ${bytes[3]} (magic ${formatMagic(magic)})`,
    );
  }

  const headerLength = 4 + 4 * dimensionCount;
  if (bytes.length < headerLength) {
    throw fileError(
      filePath,
      `header too short: expected ${headerLength} bytes for the magic number and ${dimensionCount} dimension sizes, found ${bytes.length}${decompressed}`,
    );
  }
  const dims: number[] = [];
  for (let dimension = 0; dimension < dimensionCount; dimension++) dims.push(view.getUint32(4 + 4 * dimension));

  // A data set with no images, or images of no pixels, would train on nothing and report NaN.
  if (dims.includes(0)) throw fileError(filePath, `empty file: it contains ${describeContents(kind, dims)}`);

  const elementCount = dims.reduce((product, size) => product * size, 1);
  const expectedLength = headerLength + elementCount;
  if (bytes.length !== expectedLength) {
    throw fileError(filePath, `expected ${expectedLength} bytes for ${describeContents(kind, dims)}, found ${bytes.length}${decompressed}`);
  }

  return { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + headerLength, elementCount) };
}
