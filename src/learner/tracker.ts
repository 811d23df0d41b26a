// Callbacks that watch one column of the training table after every epoch, as fastai's
// callback.tracker: save the best model, stop early, reduce the learning rate on a plateau.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { Callback, CancelFitError } from "./callback.js";
import type { Learner } from "./learner.js";
import type { EpochRow } from "./recorder.js";

/** The direction of improvement of the monitored value: lower ("less") or higher ("greater"). */
export type Comparison = "less" | "greater";

/** Options shared by the tracker callbacks; the defaults are fastai's. */
export interface TrackerOptions {
  /** Column of the training table to watch: "valid_loss", "train_loss" or a metric's name. Default "valid_loss". */
  monitor?: string;
  /**
   * Whether lower or higher is better. Default: "less" when the monitor's name contains "loss"
   * or "error", else "greater", as fastai chooses.
   */
  comparison?: Comparison;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Receives the callback's messages. Default: a line on stderr. */
  log?: (message: string) => void;
}

/** Reads the monitored column of a table row. */
export function monitoredValue(row: EpochRow, monitor: string): number {
  if (monitor === "valid_loss") return row.validLoss;
  if (monitor === "train_loss") return row.trainLoss;
  return row.metrics[monitor] ?? Number.NaN;
}

/** Keeps the best value of the monitored column (fastai's TrackerCallback). */
export abstract class TrackerCallback extends Callback {
  // After the Recorder (50) has added the epoch's row and the table has shown it (60).
  override order = 61;
  override runInLrFind = false;
  readonly monitor: string;
  readonly comparison: Comparison;
  readonly minDelta: number;
  /** The best value seen in this fit. */
  best = Number.NaN;
  /** Whether the last epoch improved on the best. */
  newBest = false;
  protected readonly log: (message: string) => void;

  constructor({ monitor = "valid_loss", comparison, minDelta = 0, log }: TrackerOptions = {}) {
    super();
    if (!(minDelta >= 0)) throw new RangeError(`${new.target.name}: minDelta must be a non-negative number, got ${minDelta}`);
    if (comparison !== undefined && comparison !== "less" && comparison !== "greater") {
      throw new RangeError(`${new.target.name}: comparison must be "less" or "greater", got ${String(comparison)}`);
    }

    this.monitor = monitor;
    this.comparison = comparison ?? (monitor.includes("loss") || monitor.includes("error") ? "less" : "greater");
    this.minDelta = minDelta;
    this.log = log ?? ((message) => process.stderr.write(`${message}\n`));
  }

  override beforeFit(learner: Learner): void {
    const columns = ["train_loss", "valid_loss", ...learner.metrics.map((metric) => metric.name)];
    if (!columns.includes(this.monitor)) {
      throw new RangeError(`${this.name}: monitor '${this.monitor}' is not a column of the training table; expected one of ${columns.join(", ")}`);
    }
    // NOTE: checkpoints do not store the best value or the patience count, so a resumed fit
    // starts tracking afresh from its first epoch.
    this.best = this.comparison === "less" ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    this.newBest = false;
  }

  override afterEpoch(learner: Learner): void {
    const value = monitoredValue(learner.recorder.rows.at(-1)!, this.monitor);
    // An improvement must beat the best by more than minDelta. NaN never improves.
    const improved = this.comparison === "less" ? value + this.minDelta < this.best : value - this.minDelta > this.best;
    this.newBest = improved;
    if (improved) this.best = value;
  }
}

/** Options of SaveModelCallback. */
export interface SaveModelOptions extends TrackerOptions {
  /** Checkpoint file of the best model. Default "models/model.safetensors", as fastai's models/model.pth. */
  file?: string;
  /** Save and restore the optimizer state too. Default false, as fastai's with_opt. */
  withOptimizer?: boolean;
}

/** Saves the model whenever the monitored value improves, and loads the best one when the fit ends. */
export class SaveModelCallback extends TrackerCallback {
  override order = 62;
  readonly file: string;
  readonly withOptimizer: boolean;
  private savedThisFit = false;

  constructor(options: SaveModelOptions = {}) {
    super(options);
    this.file = options.file ?? path.join("models", "model.safetensors");
    this.withOptimizer = options.withOptimizer ?? false;
  }

  override beforeFit(learner: Learner): void {
    super.beforeFit(learner);
    this.savedThisFit = false;
  }

  override afterEpoch(learner: Learner): void {
    super.afterEpoch(learner);
    if (!this.newBest) return;

    this.log(`Better model found at epoch ${learner.epoch} with ${this.monitor} value: ${this.best}.`);
    mkdirSync(path.dirname(path.resolve(this.file)), { recursive: true });
    learner.save(this.file, {}, { withOptimizer: this.withOptimizer });
    this.savedThisFit = true;
  }

  // Runs after a cancelled fit too (early stopping), because afterFit always follows afterCancelFit.
  override afterFit(learner: Learner): void {
    if (!this.savedThisFit) return;
    learner.load(this.file, { withOptimizer: this.withOptimizer, withRows: false });
  }
}

/** Options of EarlyStoppingCallback and ReduceLROnPlateau. */
export interface PatienceOptions extends TrackerOptions {
  /** Epochs without improvement to wait before acting. Default 1. */
  patience?: number;
}

function checkPatience(callback: string, patience: number): void {
  if (!Number.isInteger(patience) || patience < 1) throw new RangeError(`${callback}: patience must be a positive integer, got ${patience}`);
}

/** Ends the fit once the monitored value has not improved for `patience` epochs. */
export class EarlyStoppingCallback extends TrackerCallback {
  override order = 64;
  readonly patience: number;
  private wait = 0;

  constructor(options: PatienceOptions = {}) {
    super(options);
    this.patience = options.patience ?? 1;
    checkPatience("EarlyStoppingCallback", this.patience);
  }

  override beforeFit(learner: Learner): void {
    super.beforeFit(learner);
    this.wait = 0;
  }

  override afterEpoch(learner: Learner): void {
    super.afterEpoch(learner);
    if (this.newBest) {
      this.wait = 0;
      return;
    }

    this.wait += 1;
    if (this.wait >= this.patience) {
      this.log(`No improvement since epoch ${learner.epoch - this.wait}: early stopping`);
      throw new CancelFitError("early stopping");
    }
  }
}

/** Options of ReduceLROnPlateau. */
export interface ReduceLROnPlateauOptions extends PatienceOptions {
  /** The learning rate is divided by this factor. Default 10. */
  factor?: number;
  /** The learning rate never goes below this. Default 0. */
  minLr?: number;
}

/** Divides the learning rate by `factor` once the monitored value has not improved for `patience` epochs. */
export class ReduceLROnPlateau extends TrackerCallback {
  override order = 63;
  readonly patience: number;
  readonly factor: number;
  readonly minLr: number;
  private wait = 0;

  constructor(options: ReduceLROnPlateauOptions = {}) {
    super(options);
    this.patience = options.patience ?? 1;
    this.factor = options.factor ?? 10;
    this.minLr = options.minLr ?? 0;
    checkPatience("ReduceLROnPlateau", this.patience);
    if (!(this.factor > 1)) throw new RangeError(`ReduceLROnPlateau: factor must be above 1, got ${this.factor}`);
    if (!(this.minLr >= 0)) throw new RangeError(`ReduceLROnPlateau: minLr must be a non-negative number, got ${this.minLr}`);
  }

  override beforeFit(learner: Learner): void {
    super.beforeFit(learner);
    this.wait = 0;
  }

  override afterEpoch(learner: Learner): void {
    super.afterEpoch(learner);
    if (this.newBest) {
      this.wait = 0;
      return;
    }

    this.wait += 1;
    if (this.wait < this.patience) return;
    this.wait = 0;
    const optimizer = learner.optimizer!;
    const oldLr = optimizer.lr;
    const newLr = Math.max(oldLr / this.factor, this.minLr);
    optimizer.setHyperparameters({ lr: newLr });
    if (newLr < oldLr) this.log(`Epoch ${learner.epoch}: reducing lr to ${newLr}`);
  }
}
