// `residual-lab train`: fastai's fit on an MNIST-style dataset, printing the per-epoch table.
import { DataLoaders, isDatasetName, loadDatasetByName, namedDatasets } from "../data/index.js";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { accuracy, CheckpointCallback, visionLearner, tableLogger, type EpochLogger, type EpochRow, type Learner } from "../learner/index.js";
import { extraCallbacks, exportTrained, runLrFind, trainingFeatureConflict } from "./train-features.js";
import { resnet18, resnet34, type ResNetArchitecture } from "../models/index.js";
import { defaultThreadCount, manualSeed, runtimeInfo, setNumThreads } from "../torch/index.js";
import { checkOutputFile } from "./output-path.js";
import { nonNegativeInteger, oneOf, parseFlags, positiveInteger, positiveNumber, UsageError } from "./usage-error.js";

export const trainHelp = `Usage: residual-lab train [options]

Trains a ResNet with fastai's vision_learner and fit (Adam, constant learning rate) and prints
fastai's table: epoch, train_loss, valid_loss, accuracy, time. Defaults are the seed recipe.

Options:
  --model NAME          resnet18 (default) or resnet34
  --dataset NAME        mnist (default), fashion-mnist, or a folder of IDX files
  --epochs N            epochs to train (default 4)
  --lr RATE             learning rate (default 1e-3)
  --bs N                batch size (default 32)
  --seed N              seed for initialisation, shuffling and dropout (default 0)
  --threads N           libtorch threads (default: one per core)
  --train-limit N       train on the first N training images only
  --valid-limit N       validate on the first N test images only
  --plain               train the plain twin: every shortcut removed
  --channels-last       use the channels_last memory format
  --device NAME         cpu (default) or cuda
  --json                one JSON object per epoch on stdout (epoch, train_loss, valid_loss,
                        accuracy, seconds, rss_mib, peak_rss_mib); the table goes to stderr
  --checkpoint FILE     checkpoint written after every epoch (default:
                        runs/train/MODEL[-plain]-DATASET-seedN.safetensors)
  --resume              continue from the checkpoint's last finished epoch
  --one-cycle           train with fit_one_cycle (--lr is the peak learning rate) instead of fit
  --lr-find             run fastai's LR finder instead of training: prints the suggested
                        learning rates and writes the plot next to the checkpoint (.svg)
  --early-stop N        stop after N epochs without a lower valid_loss
  --save-best           keep the epoch with the lowest valid_loss (saved next to the
                        checkpoint as -best.safetensors) and end with its weights
  --csv FILE            write the table to FILE as CSV, one line per epoch
  --export FILE         write the trained model for 'residual-lab predict' to FILE
  --mean-train-loss     show the epoch's mean train loss instead of the smoothed one`;

const architectures: Record<string, ResNetArchitecture> = { resnet18, resnet34 };

export interface TrainSettings {
  model: string;
  dataset: string;
  epochs: number;
  lr: number;
  batchSize: number;
  seed: number;
  threads: number;
  trainLimit?: number;
  validLimit?: number;
  plain: boolean;
  channelsLast: boolean;
  device: string;
  json: boolean;
  checkpoint?: string;
  resume?: boolean;
  oneCycle?: boolean;
  lrFind?: boolean;
  /** Patience of early stopping in epochs; undefined: no early stopping. */
  earlyStop?: number;
  saveBest?: boolean;
  csv?: string;
  export?: string;
  meanTrainLoss?: boolean;
}

export function parseTrainFlags(args: string[]): TrainSettings {
  const { values, positionals } = parseFlags(
    args,
    {
      model: { type: "string" },
      dataset: { type: "string" },
      epochs: { type: "string" },
      lr: { type: "string" },
      bs: { type: "string" },
      seed: { type: "string" },
      threads: { type: "string" },
      "train-limit": { type: "string" },
      "valid-limit": { type: "string" },
      plain: { type: "boolean" },
      "channels-last": { type: "boolean" },
      device: { type: "string" },
      json: { type: "boolean" },
      checkpoint: { type: "string" },
      resume: { type: "boolean" },
      "one-cycle": { type: "boolean" },
      "lr-find": { type: "boolean" },
      "early-stop": { type: "string" },
      "save-best": { type: "boolean" },
      csv: { type: "string" },
      export: { type: "string" },
      "mean-train-loss": { type: "boolean" },
    },
    "train",
  );
  if (positionals.length > 0) throw new UsageError(`train: unexpected argument '${positionals[0]}'`);

  const settings: TrainSettings = {
    model: oneOf(values.model, Object.keys(architectures), "--model") ?? "resnet18",
    dataset: values.dataset ?? "mnist",
    epochs: positiveInteger(values.epochs, "--epochs") ?? 4,
    lr: positiveNumber(values.lr, "--lr") ?? 1e-3,
    batchSize: positiveInteger(values.bs, "--bs") ?? 32,
    seed: nonNegativeInteger(values.seed, "--seed") ?? 0,
    threads: positiveInteger(values.threads, "--threads") ?? defaultThreadCount(),
    trainLimit: positiveInteger(values["train-limit"], "--train-limit"),
    validLimit: positiveInteger(values["valid-limit"], "--valid-limit"),
    plain: values.plain ?? false,
    channelsLast: values["channels-last"] ?? false,
    device: oneOf(values.device, ["cpu", "cuda"], "--device") ?? "cpu",
    json: values.json ?? false,
    checkpoint: values.checkpoint,
    resume: values.resume ?? false,
    oneCycle: values["one-cycle"] ?? false,
    lrFind: values["lr-find"] ?? false,
    earlyStop: positiveInteger(values["early-stop"], "--early-stop"),
    saveBest: values["save-best"] ?? false,
    csv: values.csv,
    export: values.export,
    meanTrainLoss: values["mean-train-loss"] ?? false,
  };
  const conflict = trainingFeatureConflict(settings);
  if (conflict) throw new UsageError(conflict);
  const dataset = settings.dataset;
  if (!isDatasetName(dataset)) {
    throw new UsageError(`--dataset: '${dataset}' is neither ${namedDatasets.join(", ")} nor a folder of IDX files`);
  }
  checkOutputFile(settings.checkpoint, "--checkpoint");
  checkOutputFile(settings.export, "--export");
  checkOutputFile(settings.csv, "--csv");
  return settings;
}

/** Returns the --checkpoint path, or a default named after model, dataset and seed. */
export function checkpointPath(settings: TrainSettings): string {
  if (settings.checkpoint) return path.resolve(settings.checkpoint);
  const dataset = path.basename(path.resolve(settings.dataset)).replace(/[^A-Za-z0-9_-]/g, "_");
  const twin = settings.plain ? "-plain" : "";
  return path.resolve("runs", "train", `${settings.model}${twin}-${dataset}-seed${settings.seed}.safetensors`);
}

/** Returns a named dataset as it is and a folder as an absolute path, so a run resumed from another working folder matches. */
function datasetKey(dataset: string): string {
  return (namedDatasets as readonly string[]).includes(dataset) ? dataset : path.resolve(dataset);
}

/** The settings a resumed run must share with the run that wrote the checkpoint. */
export function resumeKey(settings: TrainSettings): Record<string, unknown> {
  const { model, dataset, lr, batchSize, seed, trainLimit, validLimit, plain, channelsLast } = settings;
  // The one-cycle schedule spans all epochs, so a resumed one-cycle run needs the same count.
  const schedule = settings.oneCycle ? { oneCycle: true, epochs: settings.epochs } : {};
  return { model, dataset: datasetKey(dataset), lr, batchSize, seed, trainLimit: trainLimit ?? null, validLimit: validLimit ?? null, plain, channelsLast, ...schedule };
}

/**
 * Formats one epoch as a JSON line with the column names of fastai's table, and the process's
 * memory when the epoch ended: resident set size now and its peak so far, in MiB.
 */
export function epochJson(row: EpochRow): string {
  return JSON.stringify({
    epoch: row.epoch,
    train_loss: row.trainLoss,
    valid_loss: row.validLoss,
    accuracy: row.metrics.accuracy,
    seconds: row.seconds,
    rss_mib: process.memoryUsage.rss() / 2 ** 20,
    // maxRSS is in KiB.
    peak_rss_mib: process.resourceUsage().maxRSS / 1024,
  });
}

function jsonLogger(): EpochLogger {
  const table = tableLogger(process.stderr);
  return {
    header: table.header,
    row: (row, columns) => {
      table.row(row, columns);
      process.stdout.write(epochJson(row) + "\n");
    },
  };
}

/** Trains with these settings and returns the learner; the table is in learner.recorder.rows. */
export async function train(settings: TrainSettings, logger?: EpochLogger): Promise<Learner> {
  if (settings.device === "cuda" && !runtimeInfo().cudaAvailable) {
    throw new UsageError("--device cuda: this libtorch build has no CUDA device available; use --device cpu");
  }
  setNumThreads(settings.threads);
  manualSeed(settings.seed);

  process.stderr.write(`loading ${settings.dataset}\n`);
  const { train: trainSet, valid: validSet } = loadDatasetByName(settings.dataset, { train: settings.trainLimit, valid: settings.validLimit });
  if (trainSet.length < settings.batchSize) {
    throw new UsageError(`--bs ${settings.batchSize} exceeds the ${trainSet.length} training images: no full batch to train on`);
  }
  const dls = DataLoaders.fromDatasets(trainSet, validSet, { batchSize: settings.batchSize, seed: settings.seed });

  const learn = visionLearner(dls, architectures[settings.model], {
    metrics: [accuracy],
    plain: settings.plain,
    memoryFormat: settings.channelsLast ? "channels_last" : "contiguous",
    device: settings.device,
    logger: logger ?? (settings.json ? jsonLogger() : tableLogger()),
    trainLossMode: settings.meanTrainLoss ? "mean" : "smooth",
  });
  const checkpoint = checkpointPath(settings);
  if (settings.lrFind) {
    mkdirSync(path.dirname(checkpoint), { recursive: true });
    await runLrFind(learn, settings, checkpoint);
    return learn;
  }
  let startEpoch = 0;
  if (settings.resume) startEpoch = resumeFrom(learn, checkpoint, settings);
  mkdirSync(path.dirname(checkpoint), { recursive: true });

  const twin = settings.plain ? " (plain twin)" : "";
  const method = settings.oneCycle ? "fitOneCycle" : "fit";
  process.stderr.write(
    `training ${settings.model}${twin} on ${trainSet.length} images, validating on ${validSet.length}: ` +
      `${method}(${settings.epochs}, ${settings.lr}), batch size ${settings.batchSize}, seed ${settings.seed}, ${settings.threads} threads\n`,
  );
  const callbacks = [new CheckpointCallback(checkpoint, resumeKey(settings)), ...extraCallbacks(settings, checkpoint)];
  if (settings.oneCycle) await learn.fitOneCycle(settings.epochs, settings.lr, { startEpoch, callbacks });
  else await learn.fit(settings.epochs, settings.lr, { startEpoch, callbacks });
  process.stderr.write(`checkpoint: ${checkpoint}\n`);
  if (settings.export) exportTrained(learn, settings.export);
  return learn;
}

/** Loads the checkpoint into the learner, replays its rows to the logger and returns the epoch to start from. */
function resumeFrom(learn: Learner, checkpoint: string, settings: TrainSettings): number {
  if (!existsSync(checkpoint)) throw new UsageError(`--resume: no checkpoint at ${checkpoint}; run without --resume to start`);
  const contents = learn.load(checkpoint);
  const expected = JSON.stringify(resumeKey(settings));
  // Checkpoints written before folders were stored as absolute paths hold the path as typed.
  const stored = { ...contents.settings };
  if (typeof stored.dataset === "string") stored.dataset = datasetKey(stored.dataset);
  if (JSON.stringify(stored) !== expected) {
    throw new UsageError(`--resume: ${checkpoint} was written with other settings (${JSON.stringify(contents.settings)}); expected ${expected}`);
  }
  if (contents.epochsDone >= settings.epochs) {
    throw new UsageError(`--resume: ${checkpoint} already contains ${contents.epochsDone} epochs; pass a larger --epochs to train further`);
  }
  process.stderr.write(`resuming from ${checkpoint} after epoch ${contents.epochsDone - 1}\n`);
  return contents.epochsDone;
}

export async function trainCommand(args: string[]): Promise<void> {
  await train(parseTrainFlags(args));
}
