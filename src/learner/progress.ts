// Progress output: fastai's per-epoch table (one plain row per epoch, always) and a batch
// progress bar on stderr when it is a terminal.
import { Callback } from "./callback.js";
import type { Learner } from "./learner.js";
import type { EpochRow } from "./recorder.js";

/** Receives the table's header once per fit and each finished epoch. */
export interface EpochLogger {
  header?(columns: string[]): void;
  row(row: EpochRow, columns: string[]): void;
}

/** mm:ss, as fastai's format_time (hh:mm:ss past an hour). */
export function formatTime(seconds: number): string {
  const total = Math.round(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  const two = (value: number) => String(value).padStart(2, "0");
  return hours > 0 ? `${two(hours)}:${two(minutes)}:${two(rest)}` : `${two(minutes)}:${two(rest)}`;
}

/** The table's cells for one row: the epoch, losses and metrics with 6 decimals, the time. */
export function rowCells(row: EpochRow, columns: string[]): string[] {
  // A row read back from JSON has null where the run had NaN (a diverged loss).
  const cell = (value: number | null | undefined) => (value ?? Number.NaN).toFixed(6);
  return columns.map((column) => {
    if (column === "epoch") return String(row.epoch);
    if (column === "train_loss") return cell(row.trainLoss);
    if (column === "valid_loss") return cell(row.validLoss);
    if (column === "time") return formatTime(row.seconds);
    return cell(row.metrics?.[column]);
  });
}

/** Pads each cell to its column's width, columns two spaces apart, as fastprogress prints to a console. */
export function formatTableLine(cells: string[], columns: string[]): string {
  return cells.map((cell, i) => cell.padEnd(Math.max(columns[i].length, 8))).join("  ").trimEnd();
}

/** Prints fastai's table to a stream (stdout by default). */
export function tableLogger(stream: NodeJS.WritableStream = process.stdout): EpochLogger {
  return {
    header: (columns) => stream.write(formatTableLine(columns, columns) + "\n"),
    row: (row, columns) => stream.write(formatTableLine(rowCells(row, columns), columns) + "\n"),
  };
}

export class ProgressCallback extends Callback {
  override order = 60;
  override runInLrFind = false;
  private readonly logger: EpochLogger;
  private readonly showProgress: boolean;
  private columns: string[] = [];
  private phaseStart = 0;

  constructor({ logger = tableLogger(), showProgress = false }: { logger?: EpochLogger; showProgress?: boolean } = {}) {
    super();
    this.logger = logger;
    this.showProgress = showProgress;
  }

  override beforeFit(learner: Learner): void {
    this.columns = ["epoch", "train_loss", "valid_loss", ...learner.metrics.map((metric) => metric.name), "time"];
    this.logger.header?.(this.columns);
    // A resumed fit starts with the rows of the epochs its checkpoint finished.
    for (const row of learner.recorder.rows) this.logger.row(row, this.columns);
  }

  override beforeTrain(): void {
    this.phaseStart = performance.now();
  }

  override beforeValidate(): void {
    this.phaseStart = performance.now();
  }

  override afterBatch(learner: Learner): void {
    if (!this.showProgress) return;
    const done = learner.iteration + 1;
    const total = learner.nIteration;
    if (done % 10 !== 0 && done !== total) return;
    const elapsed = (performance.now() - this.phaseStart) / 1000;
    const remaining = (elapsed / done) * (total - done);
    const width = 30;
    const filled = Math.round((done / total) * width);
    const bar = "█".repeat(filled) + "-".repeat(width - filled);
    const phase = learner.training ? "train" : "valid";
    const loss = learner.training ? ` loss ${learner.recorder.smoothLoss.toFixed(4)}` : "";
    process.stderr.write(`\r${phase} ${bar} ${((100 * done) / total).toFixed(1).padStart(5)}% [${done}/${total} ${formatTime(elapsed)}<${formatTime(remaining)}${loss}]\x1b[K`);
  }

  override afterValidate(): void {
    if (this.showProgress) process.stderr.write("\r\x1b[K");
  }

  override afterEpoch(learner: Learner): void {
    const row = learner.recorder.rows.at(-1);
    if (row) this.logger.row(row, this.columns);
  }
}
