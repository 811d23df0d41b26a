// `residual-lab start` (npm start): the user's path. Trains the seed recipe on the full MNIST
// (fastai's notebook job), runs the experiments of the chosen profile, writes the report and
// prints its conclusions and where it is. Finished parts are reused, so a rerun is quick and a killed run resumes.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { experiments, writeJsonAtomically, type Profile } from "../experiments/index.js";
import { ClassificationInterpretation, formatTableLine, rowCells, type EpochRow, type Learner } from "../learner/index.js";
import { defaultThreadCount, provenance } from "../torch/index.js";
import { writeReport } from "../report/index.js";
import { runExperiments } from "./experiment-command.js";
import { train, type TrainSettings } from "./train-command.js";
import { oneOf, parseFlags, positiveInteger, UsageError } from "./usage-error.js";

export const startHelp = `Usage: residual-lab start [--profile quick|full] [--runs DIR] [--threads N]

1. Trains the seed recipe: ResNet-18 (1 input channel, no pretraining) on the full MNIST with
   fit(4, 1e-3) at batch size 32, printing fastai's table; writes DIR/seed-recipe/result.json.
2. Runs every experiment of the profile (default quick: about 10 minutes on 2 cores) into
   DIR/PROFILE/NAME/result.json.
3. Writes the report, report/index.html, and prints each section's conclusion and its path.
Finished results are reused (default DIR: runs). --threads sets libtorch's thread count
(default: one per core).`;

export const seedRecipe: Omit<TrainSettings, "threads" | "checkpoint"> = {
  model: "resnet18",
  dataset: "mnist",
  epochs: 4,
  lr: 1e-3,
  batchSize: 32,
  seed: 0,
  plain: false,
  channelsLast: false,
  device: "cpu",
  json: false,
};

/** The contents of the seed recipe's result.json, which the report reads. */
export interface SeedRecipeResult {
  recipe: TrainSettings;
  rows: EpochRow[];
  /** Raw and smoothed training loss of every batch. */
  losses: number[];
  smoothLosses: number[];
  classNames: string[];
  /** Counts, rows = actual class, columns = predicted class, on the 10,000 test images. */
  confusionMatrix: number[][];
  /** The test images with the highest loss, with their 28x28 pixels (0..255, row-major). */
  topLosses: { index: number; actual: string; predicted: string; loss: number; probability: number; pixels: number[] }[];
  wallSeconds: number;
  finishedAt: string;
  provenance: ReturnType<typeof provenance>;
}

async function interpret(learn: Learner): Promise<Pick<SeedRecipeResult, "classNames" | "confusionMatrix" | "topLosses">> {
  const interpretation = await ClassificationInterpretation.fromLearner(learn);
  const images = learn.dls.valid.dataset.images; // uint8 [N, 28, 28]
  const topLosses = interpretation.topLosses(16).map((item) => ({
    index: item.datasetIndex,
    actual: item.actual,
    predicted: item.predicted,
    loss: item.loss,
    probability: item.probability,
    pixels: images.select(0, item.datasetIndex).toNumbers(),
  }));
  return { classNames: [...learn.dls.classNames], confusionMatrix: interpretation.confusionMatrix(), topLosses };
}

/** Trains the seed recipe unless its result exists; a killed run resumes from its last epoch. */
export async function runSeedRecipe(runsFolder: string, threads: number): Promise<SeedRecipeResult> {
  const folder = path.join(runsFolder, "seed-recipe");
  const resultFile = path.join(folder, "result.json");
  if (existsSync(resultFile)) {
    const saved = JSON.parse(readFileSync(resultFile, "utf8")) as SeedRecipeResult;
    process.stderr.write(`seed recipe: reusing ${resultFile}\n`);
    const columns = ["epoch", "train_loss", "valid_loss", "accuracy", "time"];
    process.stdout.write(formatTableLine(columns, columns) + "\n");
    for (const row of saved.rows) process.stdout.write(formatTableLine(rowCells(row, columns), columns) + "\n");
    return saved;
  }

  const checkpoint = path.join(folder, "checkpoint.safetensors");
  const settings: TrainSettings = { ...seedRecipe, threads, checkpoint, resume: existsSync(checkpoint) };
  const started = Date.now();
  const learn = await train(settings);
  const result: SeedRecipeResult = {
    recipe: settings,
    rows: learn.recorder.rows,
    losses: learn.recorder.losses,
    smoothLosses: learn.recorder.smoothLosses,
    ...(await interpret(learn)),
    wallSeconds: (Date.now() - started) / 1000,
    finishedAt: new Date().toISOString(),
    provenance: provenance(),
  };
  writeJsonAtomically(resultFile, result);
  return result;
}

export async function startCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, { runs: { type: "string" }, profile: { type: "string" }, threads: { type: "string" } }, "start");
  if (positionals.length > 0) throw new UsageError(`start: unexpected argument '${positionals[0]}'`);
  const runsFolder = path.resolve(values.runs ?? "runs");
  const profile: Profile = oneOf(values.profile, ["quick", "full"] as const, "--profile") ?? "quick";

  const threads = positiveInteger(values.threads, "--threads") ?? defaultThreadCount();
  const seed = await runSeedRecipe(runsFolder, threads);
  process.stderr.write(`seed recipe: final accuracy ${seed.rows.at(-1)?.metrics.accuracy.toFixed(4)}\n`);

  const names = experiments.map((experiment) => experiment.name);
  await runExperiments({ names, profile, overrides: {}, threads, runsFolder });

  const report = await writeReport(runsFolder, path.resolve("report"), { profile });
  process.stdout.write("\n");
  for (const section of report.sections) process.stdout.write(`${section.label}: ${section.summary}\n`);
  process.stdout.write(`\nreport: ${report.indexFile}\n`);
}
