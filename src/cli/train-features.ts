// The optional parts of `residual-lab train`: the LR finder, early stopping, keeping the best
// epoch, the CSV table and the export for `residual-lab predict`.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { CSVLogger, EarlyStoppingCallback, SaveModelCallback, writeLrFindPlot, type Callback, type Learner, type LrFindResult } from "../learner/index.js";
import type { TrainSettings } from "./train-command.js";

/** Returns the message for flags that cannot go together, or null. */
export function trainingFeatureConflict(settings: TrainSettings): string | null {
  if (!settings.lrFind) return null;
  const trainingFlags: [string, unknown][] = [
    ["--resume", settings.resume],
    ["--one-cycle", settings.oneCycle],
    ["--early-stop", settings.earlyStop],
    ["--save-best", settings.saveBest],
    ["--csv", settings.csv],
    ["--export", settings.export],
  ];
  const conflicting = trainingFlags.find(([, value]) => value !== undefined && value !== false);
  return conflicting ? `--lr-find runs only the LR finder and trains nothing; drop ${conflicting[0]}` : null;
}

/** Returns a file next to the checkpoint: its name without ".safetensors", then `suffix`. */
export function besideCheckpoint(checkpoint: string, suffix: string): string {
  return checkpoint.replace(/\.safetensors$/, "") + suffix;
}

/** Builds the callbacks that --early-stop, --save-best and --csv ask for. */
export function extraCallbacks(settings: TrainSettings, checkpoint: string): Callback[] {
  const callbacks: Callback[] = [];
  if (settings.saveBest) callbacks.push(new SaveModelCallback({ file: besideCheckpoint(checkpoint, "-best.safetensors") }));
  if (settings.earlyStop !== undefined) callbacks.push(new EarlyStoppingCallback({ patience: settings.earlyStop }));
  if (settings.csv) callbacks.push(new CSVLogger(path.resolve(settings.csv)));
  return callbacks;
}

/** Formats a suggested learning rate, or the reason there is none. */
function formatSuggestion(lr: number): string {
  return Number.isNaN(lr) ? "none (too few points before the loss diverged)" : lr.toExponential(2);
}

/** Runs the LR finder, prints its suggestions on stdout and writes the plot beside the checkpoint. */
export async function runLrFind(learn: Learner, settings: TrainSettings, checkpoint: string): Promise<LrFindResult> {
  process.stderr.write(`running the LR finder: learning rates from 1e-7 to 10 over at most 100 batches of ${settings.batchSize}\n`);
  const result = await learn.lrFind();
  const plot = besideCheckpoint(checkpoint, "-lr-find.svg");
  writeLrFindPlot(result, plot);

  const names = ["valley", "slide", "minimum", "steep"] as const;
  if (settings.json) {
    const suggestions = Object.fromEntries(names.map((name) => [name, Number.isNaN(result[name]) ? null : result[name]]));
    process.stdout.write(JSON.stringify({ ...suggestions, plot }) + "\n");
  } else {
    for (const name of names) process.stdout.write(`${name.padEnd(8)} ${formatSuggestion(result[name])}\n`);
  }
  process.stderr.write(`LR finder plot: ${plot}\n`);
  return result;
}

/** Writes the trained model for `residual-lab predict` and prints its path on stderr. */
export function exportTrained(learn: Learner, file: string): void {
  const target = path.resolve(file);
  mkdirSync(path.dirname(target), { recursive: true });
  learn.export(target);
  process.stderr.write(`exported model: ${target}\n`);
}
