// Learner: the training loop, as fastai's. The loop itself is short; recording, progress,
// schedules and early stopping are callbacks on its events.
import type { DataLoader, DataLoaders } from "../data/index.js";
import type { Module } from "../nn/index.js";
import { F, noGrad, tidy, type MemoryFormat, type Optimizer, type Tensor } from "../torch/index.js";
import {
  CancelBatchError,
  CancelEpochError,
  CancelFitError,
  CancelTrainError,
  CancelValidateError,
  type Callback,
  type TrainingEvent,
} from "./callback.js";
import { WeightedMean, type Metric } from "./metrics.js";
import { loadCheckpoint, saveCheckpoint, type CheckpointContents, type LoadCheckpointOptions } from "./checkpoint.js";
import { lrFind, type LrFindOptions, type LrFindResult } from "./lr-finder.js";
import { fitOneCycle, type FitOneCycleOptions } from "./one-cycle.js";
import { fastaiAdam, parameterGroups, type OptimizerFactory } from "./optimizers.js";
import { ProgressCallback, type EpochLogger } from "./progress.js";
import { Recorder } from "./recorder.js";
import { exportLearner } from "./export.js";
import { predictImage, type ImageInput, type Prediction } from "./predict.js";
import { getPreds, type Predictions } from "./predictions.js";
import type { VisionModelConfig } from "./vision.js";

export type LossFunction = (prediction: Tensor, target: Tensor) => Tensor;

export interface LearnerOptions {
  /** Default: cross-entropy with mean reduction (fastai's CrossEntropyLossFlat). */
  lossFunc?: LossFunction;
  /** Default: fastai's Adam (betas 0.9/0.99, eps 1e-5, decoupled weight decay). */
  optFunc?: OptimizerFactory;
  /** Default learning rate; 1e-3 as fastai. */
  lr?: number;
  /** Weight decay; 0.01 as fastai. */
  wd?: number;
  /** Apply weight decay to BatchNorm and bias parameters too; false as fastai. */
  wdBnBias?: boolean;
  metrics?: readonly Metric[];
  callbacks?: readonly Callback[];
  /** Receives each finished epoch's row; default prints fastai's table to stdout. */
  logger?: EpochLogger;
  /** Draw a batch progress bar on stderr; default: when stderr is a TTY. */
  showProgress?: boolean;
  /** Memory layout of model and batches; "channels_last" can be faster on CPU. Default "contiguous". */
  memoryFormat?: MemoryFormat;
  /** Where the model and batches live ("cpu", "cuda"); default "cpu". */
  device?: string;
  /**
   * The train_loss of the table: "smooth" (the smoothed loss at the epoch's end, fastai's
   * default) or "mean" (the mean loss over the epoch's batches). Default "smooth".
   */
  trainLossMode?: "smooth" | "mean";
}

// Events inside one batch: only these honour a callback's runTrain and runValid, as in fastai.
const batchEvents: ReadonlySet<TrainingEvent> = new Set<TrainingEvent>([
  "beforeBatch",
  "afterPred",
  "afterLoss",
  "beforeBackward",
  "afterBackward",
  "beforeStep",
  "afterStep",
  "afterCancelBatch",
  "afterBatch",
]);

export class Learner {
  readonly model: Module;
  readonly dls: DataLoaders;
  readonly lossFunc: LossFunction;
  readonly optFunc: OptimizerFactory;
  readonly metrics: readonly Metric[];
  readonly recorder: Recorder;
  readonly memoryFormat: MemoryFormat;
  readonly device: string;
  lr: number;
  wd: number;
  wdBnBias: boolean;
  optimizer: Optimizer | null = null;
  /** True while lrFind trains; callbacks whose runInLrFind is false are skipped then. */
  findingLr = false;
  /** The configuration export() stores to rebuild the model. visionLearner sets it, and other models leave it null. */
  modelConfig: VisionModelConfig | null = null;

  // State of the loop, read by callbacks.
  epoch = 0;
  nEpoch = 0;
  iteration = 0;
  nIteration = 0;
  training = false;
  input: Tensor | null = null;
  target: Tensor | null = null;
  prediction: Tensor | null = null;
  loss: Tensor | null = null;
  lossValue = Number.NaN;
  batchSize = 0;

  private callbackList: Callback[] = [];
  private fitting = false;

  constructor(dls: DataLoaders, model: Module, options: LearnerOptions = {}) {
    this.dls = dls;
    this.model = model;
    this.lossFunc = options.lossFunc ?? ((prediction, target) => F.crossEntropy(prediction, target));
    this.optFunc = options.optFunc ?? fastaiAdam;
    this.lr = options.lr ?? 1e-3;
    this.wd = options.wd ?? 0.01;
    this.wdBnBias = options.wdBnBias ?? false;
    this.metrics = options.metrics ?? [];
    this.memoryFormat = options.memoryFormat ?? "contiguous";
    this.device = options.device ?? "cpu";

    if (this.device !== "cpu") this.model.toDevice(this.device);
    if (this.memoryFormat !== "contiguous") this.model.toMemoryFormat(this.memoryFormat);

    this.recorder = new Recorder();
    const trainLossMode = options.trainLossMode ?? "smooth";
    if (trainLossMode !== "smooth" && trainLossMode !== "mean") {
      throw new RangeError(`Learner: trainLossMode must be "smooth" or "mean", got ${String(trainLossMode)}`);
    }
    this.recorder.trainLossMode = trainLossMode;
    const progress = new ProgressCallback({ logger: options.logger, showProgress: options.showProgress ?? Boolean(process.stderr.isTTY) });
    this.addCallbacks([this.recorder, progress, ...(options.callbacks ?? [])]);
  }

  /** Whether a fit (or fitOneCycle, lrFind) is running. */
  get isFitting(): boolean {
    return this.fitting;
  }

  get callbacks(): readonly Callback[] {
    return this.callbackList;
  }

  addCallbacks(callbacks: readonly Callback[]): void {
    this.callbackList = [...this.callbackList, ...callbacks].sort((a, b) => a.order - b.order);
  }

  removeCallback(callback: Callback): void {
    this.callbackList = this.callbackList.filter((existing) => existing !== callback);
  }

  /** Writes model, optimizer state (unless withOptimizer is false) and finished rows to a safetensors checkpoint. */
  save(file: string, settings: Record<string, unknown> = {}, { withOptimizer = true }: { withOptimizer?: boolean } = {}): void {
    saveCheckpoint(this, file, { epochsDone: this.recorder.rows.length, settings, withOptimizer });
  }

  /** Restores a checkpoint written by save() or CheckpointCallback; the options can skip the optimizer state or the rows. */
  load(file: string, options: LoadCheckpointOptions = {}): CheckpointContents {
    return loadCheckpoint(this, file, options);
  }

  /** Creates the optimizer over the model's parameters (fastai's create_opt). */
  createOptimizer(): Optimizer {
    this.optimizer = this.optFunc(parameterGroups(this.model, { wd: this.wd, wdBnBias: this.wdBnBias }), this.lr);
    return this.optimizer;
  }

  /**
   * Trains for nEpoch epochs at a constant learning rate, as fastai's Learner.fit. `startEpoch`
   * skips the epochs a resumed run has already done; the data order of each epoch depends only
   * on the seed and the epoch number, so a resumed run sees the batches the first run would have.
   */
  async fit(
    nEpoch: number,
    lr?: number,
    { wd, callbacks = [], startEpoch = 0 }: { wd?: number; callbacks?: readonly Callback[]; startEpoch?: number } = {},
  ): Promise<void> {
    if (!Number.isInteger(nEpoch) || nEpoch < 1) throw new RangeError(`fit: epoch count must be a positive integer, got ${nEpoch}`);
    if (lr !== undefined && !(lr > 0)) throw new RangeError(`fit: lr must be a positive number, got ${lr}`);
    if (this.fitting) throw new Error("fit: this Learner is already fitting; one fit at a time");
    if (!Number.isInteger(startEpoch) || startEpoch < 0 || startEpoch > nEpoch) {
      throw new RangeError(`fit: startEpoch must be an integer from 0 to ${nEpoch}, got ${startEpoch}`);
    }

    this.fitting = true;
    this.addCallbacks(callbacks);
    try {
      if (wd !== undefined && wd !== this.wd) {
        this.wd = wd;
        this.optimizer = null;
      }
      if (lr !== undefined) this.lr = lr;
      if (!this.optimizer) this.createOptimizer();
      this.optimizer!.setHyperparameters({ lr: this.lr });
      this.nEpoch = nEpoch;
      await this.withEvents("Fit", CancelFitError, async () => {
        for (this.epoch = startEpoch; this.epoch < nEpoch; this.epoch++) {
          this.dls.train.setEpoch(this.epoch);
          await this.withEvents("Epoch", CancelEpochError, () => this.doEpoch());
        }
      });
    } finally {
      for (const callback of callbacks) this.removeCallback(callback);
      this.fitting = false;
    }
  }

  /**
   * Trains for nEpoch epochs with the 1cycle policy (fastai's fit_one_cycle): see fitOneCycle in
   * one-cycle.ts for the schedule and the defaults. lrMax defaults to the learner's lr.
   */
  async fitOneCycle(nEpoch: number, lrMax?: number, options: FitOneCycleOptions = {}): Promise<void> {
    await fitOneCycle(this, nEpoch, lrMax, options);
  }

  /**
   * Runs fastai's LR finder (see lrFind in lr-finder.ts): a short mock training with an
   * exponentially growing learning rate, after which the model and optimizer are restored.
   */
  async lrFind(options: LrFindOptions = {}): Promise<LrFindResult> {
    return lrFind(this, options);
  }

  /** Evaluates the model on the validation set: loss and metrics, as fastai's validate. */
  async validate(): Promise<{ validLoss: number; metrics: Record<string, number> }> {
    if (this.fitting) throw new Error("validate: this Learner is fitting; validate after fit returns");
    const loss = new WeightedMean();
    const metricMeans = this.metrics.map(() => new WeightedMean());
    this.training = false;
    this.model.eval();
    await this.runBatches(this.dls.valid, () => undefined, () => {
      loss.add(this.lossValue, this.batchSize);
      this.metrics.forEach((metric, i) => metricMeans[i].add(metric.batchMean(this.prediction!, this.target!), this.batchSize));
    });
    const metrics = Object.fromEntries(this.metrics.map((metric, i) => [metric.name, metricMeans[i].value]));
    return { validLoss: loss.value, metrics };
  }

  /** Runs the model over a loader (default: validation) and returns probabilities, targets and per-item losses. */
  async getPreds(options: { loader?: DataLoader } = {}): Promise<Predictions> {
    return getPreds(this, options);
  }

  /** Classifies one image: pixels in [0, 1], a PNG file or an IDX record (see ImageInput). */
  predict(input: ImageInput): Prediction {
    if (this.fitting) throw new Error("predict: this Learner is fitting; predict after fit returns");
    return predictImage(this.model, input, { classNames: this.dls.classNames, imageSize: this.dls.train.dataset.imageSize, device: this.device });
  }

  /** Writes the model and what rebuilds it, without optimizer or data, for loadLearner (fastai's export). */
  export(file: string): void {
    exportLearner(this, file);
  }

  dispatch(event: TrainingEvent): void {
    const inBatch = batchEvents.has(event);
    for (const callback of this.callbackList) {
      if (this.findingLr && !callback.runInLrFind) continue;
      if (inBatch && (this.training ? !callback.runTrain : !callback.runValid)) continue;
      callback[event]?.(this);
    }
  }

  private async withEvents(
    kind: "Fit" | "Epoch" | "Train" | "Validate",
    cancel: new (...args: never[]) => Error,
    body: () => Promise<void> | void,
  ): Promise<void> {
    try {
      this.dispatch(`before${kind}` as TrainingEvent);
      await body();
    } catch (error) {
      if (!(error instanceof cancel)) throw error;
      this.dispatch(`afterCancel${kind}` as TrainingEvent);
    }
    this.dispatch(`after${kind}` as TrainingEvent);
  }

  private async doEpoch(): Promise<void> {
    // The phase is set before its events, as fastai's TrainEvalCallback does first in before_train.
    this.training = true;
    this.model.train();
    await this.withEvents("Train", CancelTrainError, () =>
      this.runBatches(this.dls.train, () => this.dispatch("beforeBatch"), () => this.dispatch("afterBatch")),
    );

    this.training = false;
    this.model.eval();
    await this.withEvents("Validate", CancelValidateError, () =>
      this.runBatches(this.dls.valid, () => this.dispatch("beforeBatch"), () => this.dispatch("afterBatch")),
    );
  }

  private async runBatches(loader: Iterable<{ x: Tensor; y: Tensor }> & { length: number }, before: () => void, after: (learner: Learner) => void): Promise<void> {
    this.nIteration = loader.length;
    this.iteration = 0;
    for (const batch of loader) {
      try {
        this.oneBatch(batch.x, batch.y, before, after);
      } finally {
        batch.x.dispose();
        batch.y.dispose();
      }
      this.iteration += 1;
      // Yield to the event loop after each batch: Node 20 runs the finalizers of collected
      // tensor handles only from the event loop, and signals and timers are served there too.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private oneBatch(x: Tensor, y: Tensor, before: () => void, after: (learner: Learner) => void): void {
    // Validation records no graph; grad mode is set per batch because runBatches awaits between batches.
    const run = this.training ? (fn: () => void) => fn() : (fn: () => void) => noGrad(fn);
    run(() => tidy(() => {
      this.input = this.placeBatch(x);
      this.target = this.device === "cpu" ? y : y.to(null, this.device);
      this.batchSize = y.shape[0];
      try {
        before();
        this.prediction = this.model.forward(this.input); // [B, classes]
        this.dispatch("afterPred");
        this.loss = this.lossFunc(this.prediction, this.target); // []
        this.lossValue = this.loss.item();
        this.dispatch("afterLoss");
        if (this.training) this.backwardAndStep();
      } catch (error) {
        if (!(error instanceof CancelBatchError)) throw error;
        this.dispatch("afterCancelBatch");
      }
      after(this);
      this.input = this.target = this.prediction = this.loss = null;
    }));
  }

  private backwardAndStep(): void {
    this.dispatch("beforeBackward");
    this.loss!.backward();
    this.dispatch("afterBackward");
    this.dispatch("beforeStep");
    this.optimizer!.step();
    this.dispatch("afterStep");
    this.optimizer!.zeroGrad();
  }

  private placeBatch(x: Tensor): Tensor {
    const placed = this.device === "cpu" ? x : x.to(null, this.device);
    return this.memoryFormat === "contiguous" ? placed : placed.contiguous(this.memoryFormat);
  }
}
