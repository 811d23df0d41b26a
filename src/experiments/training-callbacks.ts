// Callbacks the experiments attach to training: training error per epoch, per-layer gradient
// norms through training, and He et al.'s step schedule.
import { Callback, type Learner } from "../learner/index.js";
import { noGrad, type Tensor } from "../torch/index.js";

/** Training error per epoch, counted on the training batches as they are trained (train mode). */
export class TrainErrorCallback extends Callback {
  override runValid = false;
  readonly errors: number[] = [];
  private wrong = 0;
  private seen = 0;

  override beforeTrain(): void {
    this.wrong = 0;
    this.seen = 0;
  }

  override afterLoss(learner: Learner): void {
    const correct = noGrad(() => learner.prediction!.argmax(-1).eq(learner.target!).float().sum().item());
    this.wrong += learner.batchSize - correct;
    this.seen += learner.batchSize;
  }

  override afterTrain(): void {
    this.errors.push(this.seen === 0 ? Number.NaN : this.wrong / this.seen);
  }
}

export interface GradientNormSample {
  /** Training iteration (0 is the first batch). */
  iteration: number;
  /** The L2 norm of each tracked layer's weight gradient, in layer order. */
  norms: number[];
}

/** Records the gradient norm of each named weight every `every` iterations. */
export class GradientNormCallback extends Callback {
  override runValid = false;
  readonly samples: GradientNormSample[] = [];

  constructor(
    private readonly weights: readonly Tensor[],
    private readonly every: number,
  ) {
    super();
  }

  override afterBackward(learner: Learner): void {
    // Counted from the learner's epoch and batch, so a resumed run goes on numbering where it stopped.
    const iteration = learner.epoch * learner.nIteration + learner.iteration;
    if (iteration % this.every !== 0) return;

    const norms = this.weights.map((weight) => {
      const grad = weight.grad;
      return grad === null ? 0 : grad.norm().item();
    });
    this.samples.push({ iteration, norms });
  }
}

/**
 * He et al. 2015's schedule, scaled to the run's length: the base learning rate, divided by 10 at
 * half and again at three quarters of the iterations (32k and 48k of 64k in the paper).
 */
export class StepScheduleCallback extends Callback {
  override runValid = false;

  constructor(private readonly baseLr: number) {
    super();
  }

  override beforeBatch(learner: Learner): void {
    const progress = (learner.epoch * learner.nIteration + learner.iteration) / (learner.nEpoch * learner.nIteration);
    const drops = (progress >= 0.5 ? 1 : 0) + (progress >= 0.75 ? 1 : 0);
    learner.optimizer!.setHyperparameters({ lr: this.baseLr * 0.1 ** drops });
  }
}

/**
 * Logs the epoch, batch and smoothed loss at most once per interval. An epoch of a deep net on a
 * whole data set takes minutes on 2 cores, and the per-epoch lines alone leave that time silent.
 */
export class BatchProgressCallback extends Callback {
  override runValid = false;
  private lastLog = 0;

  constructor(
    private readonly label: string,
    private readonly log: (message: string) => void,
    private readonly intervalMs = 60_000,
  ) {
    super();
  }

  override beforeEpoch(): void {
    this.lastLog = performance.now();
  }

  override afterBatch(learner: Learner): void {
    const now = performance.now();
    if (now - this.lastLog < this.intervalMs) return;

    this.lastLog = now;
    this.log(`${this.label}: epoch ${learner.epoch + 1}/${learner.nEpoch}, batch ${learner.iteration + 1}/${learner.nIteration}, loss ${learner.recorder.smoothLoss.toFixed(4)}`);
  }
}
