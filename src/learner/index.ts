// Training: Learner, callbacks, metrics and fastai's vision_learner.
export { Learner, type LearnerOptions, type LossFunction } from "./learner.js";
export {
  visionLearner,
  createHead,
  createBody,
  createVisionModel,
  visionArchitectures,
  type VisionLearnerOptions,
  type VisionModelConfig,
} from "./vision.js";
export {
  Callback,
  CancelBatchError,
  CancelTrainError,
  CancelValidateError,
  CancelEpochError,
  CancelFitError,
  trainingEvents,
  type TrainingEvent,
} from "./callback.js";
export { accuracy, errorRate, WeightedMean, type Metric } from "./metrics.js";
export { Recorder, type EpochRow } from "./recorder.js";
export { ProgressCallback, tableLogger, formatTime, formatTableLine, rowCells, type EpochLogger } from "./progress.js";
export { fastaiAdam, fastaiSgd, parameterGroups, type OptimizerFactory } from "./optimizers.js";
export { SmoothedValue } from "./smoother.js";
export {
  saveCheckpoint,
  loadCheckpoint,
  CheckpointCallback,
  type CheckpointContents,
  type SaveCheckpointOptions,
  type LoadCheckpointOptions,
} from "./checkpoint.js";
export { schedLin, schedCos, schedNo, schedExp, schedPoly, combineScheds, combinedCos, type Schedule } from "./schedules.js";
export { ParamScheduler, trainingPosition, type ScheduledHyperparameters } from "./param-scheduler.js";
export { fitOneCycle, type FitOneCycleOptions } from "./one-cycle.js";
export { lrFind, lrFindResult, LRFinder, type LrFindOptions, type LrFindResult, type SuggestionName } from "./lr-finder.js";
export { valley, slide, minimum, steep, type LrSuggestion, type SlideOptions } from "./lr-suggestions.js";
export { lrFindPlotSvg, writeLrFindPlot, type LrFindPlotOptions } from "./lr-find-plot.js";
export {
  TrackerCallback,
  SaveModelCallback,
  EarlyStoppingCallback,
  ReduceLROnPlateau,
  monitoredValue,
  type Comparison,
  type TrackerOptions,
  type SaveModelOptions,
  type PatienceOptions,
  type ReduceLROnPlateauOptions,
} from "./tracker.js";
export { CSVLogger, csvLine, type CsvLoggerOptions } from "./csv-logger.js";
export { exportLearner, loadLearner, InferenceLearner } from "./export.js";
export { predictImage, readImage, readPngImage, readIdxImage, type ImageInput, type IdxRecord, type Prediction } from "./predict.js";
export { getPreds, type Predictions } from "./predictions.js";
export { ClassificationInterpretation, type ConfusedPair, type LossItem } from "./interpretation.js";
export { confusionMatrixSvg, topLossesSvg } from "./interpretation-figures.js";
