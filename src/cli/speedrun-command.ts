// `residual-lab speedrun`: time to 99% MNIST test accuracy. The recipe: the small residual CNN
// of src/models/speedrun-net.ts, fastai's Adam with fitOneCycle for 2 epochs at batch size 128,
// lrMax 1e-2, validation on the 10,000 test images after the last epoch only. The clock runs
// from the start of data loading to the end of the final test evaluation.
import { DataLoaders, loadMnist } from "../data/index.js";
import { accuracy, Callback, CancelValidateError, Learner, type EpochLogger } from "../learner/index.js";
import { SpeedrunNet } from "../models/index.js";
import { defaultThreadCount, manualSeed, setNumThreads } from "../torch/index.js";
import { nonNegativeInteger, parseFlags, positiveInteger, UsageError } from "./usage-error.js";

export const speedrunHelp = `Usage: residual-lab speedrun [options]

Trains a small residual CNN on the full MNIST until its one test evaluation, and reports the
test accuracy and the wall time from data loading to that evaluation.

Options:
  --seeds LIST    comma-separated seeds, one run each (default 0)
  --epochs N      epochs of fitOneCycle (default 2)
  --threads N     libtorch threads (default: one per core)
  --json          one JSON object per run on stdout: accuracy, seconds, seed, epochs`;

/** Skips validation before the last epoch: the speedrun measures the test set once. */
class ValidateLastEpochOnly extends Callback {
  override beforeValidate(learner: Learner): void {
    if (learner.epoch < learner.nEpoch - 1) throw new CancelValidateError();
  }
}

export interface SpeedrunResult {
  seed: number;
  epochs: number;
  /** Test accuracy, 0 to 1. */
  accuracy: number;
  /** Wall time from the start of data loading to the end of the test evaluation. */
  seconds: number;
}

export async function speedrun(seed: number, epochs: number): Promise<SpeedrunResult> {
  const started = performance.now();
  manualSeed(seed);
  const { train, valid } = loadMnist();
  const dls = DataLoaders.fromDatasets(train, valid, { batchSize: 128, validBatchSize: 1000, seed });
  const silent: EpochLogger = { row: () => undefined };
  const learn = new Learner(dls, new SpeedrunNet(), { metrics: [accuracy], logger: silent, callbacks: [new ValidateLastEpochOnly()] });
  await learn.fitOneCycle(epochs, 1e-2);
  const accuracyValue = learn.recorder.rows.at(-1)?.metrics.accuracy ?? Number.NaN;
  return { seed, epochs, accuracy: accuracyValue, seconds: (performance.now() - started) / 1000 };
}

export async function speedrunCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(
    args,
    { seeds: { type: "string" }, epochs: { type: "string" }, threads: { type: "string" }, json: { type: "boolean" } },
    "speedrun",
  );
  if (positionals.length > 0) throw new UsageError(`speedrun: unexpected argument '${positionals[0]}'`);
  const seeds = (values.seeds ?? "0").split(",").map((item) => nonNegativeInteger(item.trim(), "--seeds")!);
  const epochs = positiveInteger(values.epochs, "--epochs") ?? 2;
  setNumThreads(positiveInteger(values.threads, "--threads") ?? defaultThreadCount());

  for (const seed of seeds) {
    process.stderr.write(`speedrun: seed ${seed}, ${epochs} epochs\n`);
    const result = await speedrun(seed, epochs);
    if (values.json) process.stdout.write(JSON.stringify(result) + "\n");
    else process.stdout.write(`seed ${seed}: accuracy ${result.accuracy.toFixed(4)} in ${result.seconds.toFixed(1)} s\n`);
  }
}
