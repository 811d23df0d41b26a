import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parseImageArgument, parsePredictFlags } from "../../src/cli/predict-command.js";
import { parseTrainFlags, resumeKey } from "../../src/cli/train-command.js";
import { besideCheckpoint } from "../../src/cli/train-features.js";
import { UsageError } from "../../src/cli/usage-error.js";

test("train flags for fastai features", () => {
  const settings = parseTrainFlags(["--one-cycle", "--early-stop", "3", "--save-best", "--csv", "h.csv", "--export", "m.safetensors", "--mean-train-loss"]);
  assert.equal(settings.oneCycle, true);
  assert.equal(settings.earlyStop, 3);
  assert.equal(settings.saveBest, true);
  assert.equal(settings.csv, "h.csv");
  assert.equal(settings.export, "m.safetensors");
  assert.equal(settings.meanTrainLoss, true);
  assert.equal(settings.lrFind, false);
  assert.equal(parseTrainFlags([]).earlyStop, undefined);
});

test("train rejects bad feature flags", () => {
  assert.throws(() => parseTrainFlags(["--early-stop", "0"]), (error: Error) => error instanceof UsageError && /--early-stop expects a positive integer/.test(error.message));
  assert.throws(() => parseTrainFlags(["--lr-find", "--save-best"]), /--lr-find runs only the LR finder and trains nothing; drop --save-best/);
  assert.throws(() => parseTrainFlags(["--csv"]), UsageError);
  assert.equal(parseTrainFlags(["--lr-find", "--epochs", "2"]).lrFind, true);
});

test("train rejects unwritable output paths before training", () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), "residual-lab-output-"));
  const file = path.join(folder, "a-file");
  writeFileSync(file, "");

  assert.throws(() => parseTrainFlags(["--checkpoint", folder]), (error: Error) => error instanceof UsageError && /--checkpoint: .* is a folder; give a file path/.test(error.message));
  assert.throws(() => parseTrainFlags(["--export", path.join(file, "model.safetensors")]), /--export: .*a-file is a file, so .* cannot be written/);
  assert.throws(() => parseTrainFlags(["--csv", path.join(file, "deeper", "h.csv")]), /--csv: .*a-file is a file/);
  assert.equal(parseTrainFlags(["--export", path.join(folder, "new", "model.safetensors")]).export, path.join(folder, "new", "model.safetensors"));
  assert.throws(() => parseTrainFlags(["--checkpoint", ""]), /--checkpoint needs a file path, got an empty string/);
});

test("train rejects a dataset that is neither named nor a folder", () => {
  assert.throws(() => parseTrainFlags(["--dataset", "/no/such/folder"]), (error: Error) => error instanceof UsageError && /--dataset: '\/no\/such\/folder' is neither mnist, fashion-mnist nor a folder/.test(error.message));
  assert.throws(() => parseTrainFlags(["--dataset", ""]), UsageError);
  assert.equal(parseTrainFlags(["--dataset", "fashion-mnist"]).dataset, "fashion-mnist");
});

test("resume key stores a dataset folder as an absolute path", () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), "residual-lab-idx-"));
  const relative = path.relative(process.cwd(), folder);

  assert.equal(resumeKey(parseTrainFlags(["--dataset", relative])).dataset, folder);
  assert.equal(resumeKey(parseTrainFlags(["--dataset", "mnist"])).dataset, "mnist");
});

test("a negative value gets the VALUE= hint", () => {
  assert.throws(() => parseTrainFlags(["--lr", "-1"]), (error: Error) => error instanceof UsageError && error.message === "train: --lr is missing its value, or the value starts with '-' and must be written --lr=VALUE");
  assert.throws(() => parseTrainFlags(["--lr=-1"]), /--lr expects a positive number, got '-1'/);
});

test("files beside the checkpoint", () => {
  assert.equal(besideCheckpoint("/runs/resnet18-mnist-seed0.safetensors", "-best.safetensors"), "/runs/resnet18-mnist-seed0-best.safetensors");
  assert.equal(besideCheckpoint("/runs/model", "-lr-find.svg"), "/runs/model-lr-find.svg");
});

test("predict arguments and images", () => {
  assert.deepEqual(parsePredictFlags(["--model", "m.safetensors", "a.png", "b.png"]), { model: "m.safetensors", images: ["a.png", "b.png"], json: false });
  assert.throws(() => parsePredictFlags(["a.png"]), /missing --model FILE/);
  assert.throws(() => parsePredictFlags(["--model", "m.safetensors"]), /missing IMAGE/);
  assert.deepEqual(parseImageArgument("t10k-images-idx3-ubyte.gz:7"), { idxFile: "t10k-images-idx3-ubyte.gz", index: 7 });
  assert.equal(parseImageArgument("digit.png"), "digit.png");
  const thisFile = fileURLToPath(import.meta.url);
  assert.throws(() => parseImageArgument(`${thisFile}:-1`), /INDEX must be a record number counting from 0, got '-1'/);
  assert.throws(() => parseImageArgument(`${thisFile}:abc`), /got 'abc'/);
});
