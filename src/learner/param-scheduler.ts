// ParamScheduler: sets the optimizer's learning rate and momentum before every training batch
// from schedules over the whole fit, as fastai's ParamScheduler.
import { Callback } from "./callback.js";
import type { Learner } from "./learner.js";
import type { Schedule } from "./schedules.js";

/** The hyperparameters a schedule can drive: the learning rate and the momentum (Adam: beta1). */
export interface ScheduledHyperparameters {
  lr?: Schedule;
  /** SGD's momentum or Adam's beta1, as fastai's "mom". */
  momentum?: Schedule;
}

export class ParamScheduler extends Callback {
  // fastai's order 60, and training batches only (run_valid False).
  override order = 60;
  override runValid = false;

  /** The values set for each training batch of the last fit, in batch order (fastai's recorder.hps). */
  readonly history: { lr: number[]; momentum: number[] } = { lr: [], momentum: [] };

  constructor(readonly schedules: ScheduledHyperparameters) {
    super();
  }

  override beforeFit(): void {
    this.history.lr.length = 0;
    this.history.momentum.length = 0;
  }

  override beforeBatch(learner: Learner): void {
    this.setHyperparameters(learner, trainingPosition(learner));
  }

  override afterBatch(learner: Learner): void {
    const optimizer = learner.optimizer!;
    if (this.schedules.lr) this.history.lr.push(optimizer.lr);
    if (this.schedules.momentum) this.history.momentum.push(optimizer.momentum);
  }

  protected setHyperparameters(learner: Learner, position: number): void {
    learner.optimizer!.setHyperparameters({
      lr: this.schedules.lr?.(position),
      momentum: this.schedules.momentum?.(position),
    });
  }
}

/**
 * Returns the fraction of the fit's training batches done before the current one (fastai's pct_train).
 * It counts from epoch 0 even when the fit starts later, so a resumed fit continues the
 * schedule where the interrupted one stopped.
 */
export function trainingPosition(learner: Learner): number {
  const batchesPerEpoch = learner.nIteration;
  return (learner.epoch * batchesPerEpoch + learner.iteration) / (learner.nEpoch * batchesPerEpoch);
}
