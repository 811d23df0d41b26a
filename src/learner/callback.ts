// Callbacks: every feature of the training loop hangs off fastai's named events.
import type { Learner } from "./learner.js";

export const trainingEvents = [
  "beforeFit",
  "beforeEpoch",
  "beforeTrain",
  "beforeBatch",
  "afterPred",
  "afterLoss",
  "beforeBackward",
  "afterBackward",
  "beforeStep",
  "afterStep",
  "afterCancelBatch",
  "afterBatch",
  "afterCancelTrain",
  "afterTrain",
  "beforeValidate",
  "afterCancelValidate",
  "afterValidate",
  "afterCancelEpoch",
  "afterEpoch",
  "afterCancelFit",
  "afterFit",
] as const;

export type TrainingEvent = (typeof trainingEvents)[number];

/**
 * A callback implements any of the event methods. Callbacks run in ascending `order`
 * (fastai's Callback.order, default 0), and each gets the learner it is attached to.
 */
// The event handlers are optional methods, declared through this interface merged with the class.
export interface Callback {
  beforeFit?(learner: Learner): void;
  beforeEpoch?(learner: Learner): void;
  beforeTrain?(learner: Learner): void;
  beforeBatch?(learner: Learner): void;
  afterPred?(learner: Learner): void;
  afterLoss?(learner: Learner): void;
  beforeBackward?(learner: Learner): void;
  afterBackward?(learner: Learner): void;
  beforeStep?(learner: Learner): void;
  afterStep?(learner: Learner): void;
  afterCancelBatch?(learner: Learner): void;
  afterBatch?(learner: Learner): void;
  afterCancelTrain?(learner: Learner): void;
  afterTrain?(learner: Learner): void;
  beforeValidate?(learner: Learner): void;
  afterCancelValidate?(learner: Learner): void;
  afterValidate?(learner: Learner): void;
  afterCancelEpoch?(learner: Learner): void;
  afterEpoch?(learner: Learner): void;
  afterCancelFit?(learner: Learner): void;
  afterFit?(learner: Learner): void;
}

export abstract class Callback {
  /** Position among callbacks: lower runs first. Default 0, as fastai. */
  order = 0;
  /** Whether the callback runs during validation too (fastai's run_valid); default true. */
  runValid = true;
  /** Whether the callback runs during training (fastai's run_train); default true. */
  runTrain = true;
  /**
   * Whether the callback runs during lrFind's mock training. Default true. Loggers, checkpoints
   * and trackers set it false, because fastai's skip the LR finder too.
   */
  runInLrFind = true;

  get name(): string {
    return this.constructor.name;
  }
}

/** Thrown by a callback to skip the rest of the current batch. */
export class CancelBatchError extends Error {
  constructor(message = "batch cancelled") {
    super(message);
    this.name = "CancelBatchError";
  }
}

/** Thrown by a callback to end the training phase of the current epoch. */
export class CancelTrainError extends Error {
  constructor(message = "training phase cancelled") {
    super(message);
    this.name = "CancelTrainError";
  }
}

/** Thrown by a callback to end the validation phase of the current epoch. */
export class CancelValidateError extends Error {
  constructor(message = "validation cancelled") {
    super(message);
    this.name = "CancelValidateError";
  }
}

/** Thrown by a callback to end the current epoch. */
export class CancelEpochError extends Error {
  constructor(message = "epoch cancelled") {
    super(message);
    this.name = "CancelEpochError";
  }
}

/** Thrown by a callback to end the whole fit (early stopping, the LR finder). */
export class CancelFitError extends Error {
  constructor(message = "fit cancelled") {
    super(message);
    this.name = "CancelFitError";
  }
}
