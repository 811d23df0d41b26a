// Recorder: always attached; keeps per-batch losses and learning rates and the per-epoch table.
import { Callback } from "./callback.js";
import type { Learner } from "./learner.js";
import { WeightedMean } from "./metrics.js";
import { SmoothedValue } from "./smoother.js";

/** One row of fastai's training table. */
export interface EpochRow {
  epoch: number;
  /** Smoothed train loss at the end of the epoch (or the epoch mean; see Recorder.trainLossMode). */
  trainLoss: number;
  validLoss: number;
  /** Metric values by metric name. */
  metrics: Record<string, number>;
  /** Wall time of the epoch, training and validation together. */
  seconds: number;
}

export class Recorder extends Callback {
  override order = 50;

  /** Raw training loss of every batch. */
  readonly losses: number[] = [];
  /** Smoothed training loss after every batch (beta 0.98). */
  readonly smoothLosses: number[] = [];
  /** Learning rate of every training batch. */
  readonly lrs: number[] = [];
  /** Validation loss per epoch. */
  readonly validLosses: number[] = [];
  readonly rows: EpochRow[] = [];

  /** "smooth" (fastai's default) or "mean" (the epoch's mean train loss) in the table. */
  trainLossMode: "smooth" | "mean" = "smooth";

  private readonly smoother = new SmoothedValue(0.98);
  private epochTrainLoss = new WeightedMean();
  private validLoss = new WeightedMean();
  private metricMeans = new Map<string, WeightedMean>();
  private epochStart = 0;

  override beforeFit(): void {
    this.smoother.reset();
  }

  override beforeEpoch(): void {
    this.epochStart = performance.now();
    this.epochTrainLoss = new WeightedMean();
  }

  override beforeValidate(learner: Learner): void {
    this.validLoss = new WeightedMean();
    this.metricMeans = new Map(learner.metrics.map((metric) => [metric.name, new WeightedMean()]));
  }

  override afterBatch(learner: Learner): void {
    const batchSize = learner.batchSize;
    if (learner.training) {
      this.losses.push(learner.lossValue);
      this.smoother.add(learner.lossValue);
      this.smoothLosses.push(this.smoother.value);
      this.lrs.push(learner.optimizer?.lr ?? Number.NaN);
      this.epochTrainLoss.add(learner.lossValue, batchSize);
      return;
    }
    this.validLoss.add(learner.lossValue, batchSize);
    for (const metric of learner.metrics) {
      this.metricMeans.get(metric.name)?.add(metric.batchMean(learner.prediction!, learner.target!), batchSize);
    }
  }

  /** The current smoothed train loss. */
  get smoothLoss(): number {
    return this.smoother.value;
  }

  override afterEpoch(learner: Learner): void {
    const metrics: Record<string, number> = {};
    for (const [name, mean] of this.metricMeans) metrics[name] = mean.value;
    const row: EpochRow = {
      epoch: learner.epoch,
      trainLoss: this.trainLossMode === "smooth" ? this.smoother.value : this.epochTrainLoss.value,
      validLoss: this.validLoss.value,
      metrics,
      seconds: (performance.now() - this.epochStart) / 1000,
    };
    this.validLosses.push(row.validLoss);
    this.rows.push(row);
  }
}
