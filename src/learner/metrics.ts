// Metrics: each is the mean over samples of a per-batch value, as fastai's AvgMetric.
import { noGrad, type Tensor } from "../torch/index.js";

export interface Metric {
  /** The column name in the training table ("accuracy", "error_rate"). */
  readonly name: string;
  /** The metric's mean over one batch of predictions [N, C] and targets [N]. */
  batchMean(predictions: Tensor, targets: Tensor): number;
}

function correctFraction(predictions: Tensor, targets: Tensor): number {
  return noGrad(() => predictions.argmax(-1).eq(targets).float().mean().item());
}

/** The fraction of samples whose arg-max prediction equals the target. */
export const accuracy: Metric = {
  name: "accuracy",
  batchMean: correctFraction,
};

/** 1 - accuracy. */
export const errorRate: Metric = {
  name: "error_rate",
  batchMean: (predictions, targets) => 1 - correctFraction(predictions, targets),
};

/** Sums a per-batch mean weighted by batch size, so the result is the mean over all samples. */
export class WeightedMean {
  private total = 0;
  private count = 0;

  add(batchMean: number, batchSize: number): void {
    this.total += batchMean * batchSize;
    this.count += batchSize;
  }

  get value(): number {
    return this.count === 0 ? Number.NaN : this.total / this.count;
  }
}
