// `residual-lab start` (npm start): the seed recipe on the full MNIST, with its table printed and
// its result saved under runs/seed-recipe/.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { defaultThreadCount } from "../torch/index.js";
import { provenance } from "../torch/index.js";
import { train, type TrainSettings } from "./train-command.js";
import { parseFlags, UsageError } from "./usage-error.js";

export const startHelp = `Usage: residual-lab start [--runs DIR]

Trains the seed recipe: ResNet-18 (1 input channel, no pretraining) on the full MNIST with
fit(4, 1e-3) at batch size 32, prints fastai's table and writes DIR/seed-recipe/result.json
(default DIR: runs).`;

export const seedRecipe: Omit<TrainSettings, "threads"> = {
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

/** Writes JSON through a temporary file and a rename, so a crash never leaves half a file. */
export function writeJsonAtomically(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(value, null, 2) + "\n");
  renameSync(temporary, file);
}

export async function startCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, { runs: { type: "string" } }, "start");
  if (positionals.length > 0) throw new UsageError(`start: unexpected argument '${positionals[0]}'`);
  const runsFolder = path.resolve(values.runs ?? "runs");

  const settings: TrainSettings = { ...seedRecipe, threads: defaultThreadCount() };
  const started = Date.now();
  const rows = await train(settings);

  const resultFile = path.join(runsFolder, "seed-recipe", "result.json");
  writeJsonAtomically(resultFile, {
    recipe: settings,
    rows,
    wallSeconds: (Date.now() - started) / 1000,
    finishedAt: new Date().toISOString(),
    provenance: provenance(),
  });
  process.stderr.write(`seed recipe: final accuracy ${rows.at(-1)?.metrics.accuracy.toFixed(4)}; result in ${resultFile}\n`);
}
