// CSVLogger: writes the training table to a CSV file, one line per epoch, as fastai's CSVLogger.
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from "node:fs";
import path from "node:path";
import { Callback } from "./callback.js";
import type { Learner } from "./learner.js";
import { formatTime } from "./progress.js";
import type { EpochRow } from "./recorder.js";

/** Options of CSVLogger. */
export interface CsvLoggerOptions {
  /** Add to the end of an existing file instead of replacing it. Default false, as fastai. */
  append?: boolean;
}

/** Quotes a CSV field when it contains a comma, a quote or a line break (RFC 4180). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Formats a table row as a CSV line: the epoch, the losses and metrics at full precision, the time as mm:ss. */
export function csvLine(row: EpochRow, columns: readonly string[]): string {
  const cells = columns.map((column) => {
    if (column === "epoch") return String(row.epoch);
    if (column === "train_loss") return String(row.trainLoss);
    if (column === "valid_loss") return String(row.validLoss);
    if (column === "time") return formatTime(row.seconds);
    return String(row.metrics[column] ?? Number.NaN);
  });
  return cells.map(csvField).join(",");
}

export class CSVLogger extends Callback {
  // After the Recorder (50) has added the epoch's row.
  override order = 60;
  override runInLrFind = false;
  readonly file: string;
  readonly append: boolean;
  private columns: string[] = [];

  /** `file`: where the table goes. Default "history.csv", as fastai. */
  constructor(file = "history.csv", { append = false }: CsvLoggerOptions = {}) {
    super();
    this.file = file;
    this.append = append;
  }

  override beforeFit(learner: Learner): void {
    this.columns = ["epoch", "train_loss", "valid_loss", ...learner.metrics.map((metric) => metric.name), "time"];
    mkdirSync(path.dirname(path.resolve(this.file)), { recursive: true });

    const header = this.columns.map(csvField).join(",");
    if (this.append) {
      this.writeLines([header], "a");
      return;
    }
    // A resumed fit starts with the rows its checkpoint restored, so the file contains the whole run.
    this.writeLines([header, ...learner.recorder.rows.map((row) => csvLine(row, this.columns))], "w");
  }

  override afterEpoch(learner: Learner): void {
    const row = learner.recorder.rows.at(-1);
    if (row) this.writeLines([csvLine(row, this.columns)], "a");
  }

  // Each write opens, syncs and closes the file, so a killed run leaves every finished epoch on disk.
  private writeLines(lines: readonly string[], flags: "a" | "w"): void {
    const descriptor = openSync(this.file, flags);
    try {
      writeSync(descriptor, lines.map((line) => `${line}\n`).join(""));
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
  }
}
