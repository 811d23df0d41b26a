// Training a CIFAR-style ResNet or its plain twin for the experiments. Each trained net is one
// cached part of a shared run folder (runs/trained-nets/), so degradation, gradients, lesion and
// landscape train each net once; its weights are kept beside its JSON for later measurements.
import { existsSync } from "node:fs";
import { DataLoaders } from "../data/index.js";
import { CheckpointCallback, errorRate, fastaiSgd, Learner, type EpochLogger } from "../learner/index.js";
import { CifarResNet } from "../models/index.js";
import { loadSafetensors, manualSeed, saveSafetensors, type Tensor } from "../torch/index.js";
import { experimentDataset } from "./datasets.js";
import type { RunFolder } from "./run-folder.js";
import { BatchProgressCallback, GradientNormCallback, StepScheduleCallback, TrainErrorCallback, type GradientNormSample } from "./training-callbacks.js";

export interface NetSpec {
  dataset: string;
  depth: number;
  residual: boolean;
  seed: number;
  shortcut: "A" | "B";
  preActivation: boolean;
  epochs: number;
  trainLimit: number;
  validLimit: number;
  batchSize: number;
  /** Peak (one-cycle) or base (step) learning rate of SGD with momentum 0.9. */
  lr: number;
  /** L2 weight decay; 1e-4 in He et al. 2015. */
  weightDecay: number;
  schedule: "one-cycle" | "step";
  /** Record gradient norms every this many iterations. */
  gradientEvery: number;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainError: number;
  testLoss: number;
  testError: number;
  seconds: number;
}

export interface TrainedNet {
  spec: NetSpec;
  parameters: number;
  history: EpochRecord[];
  /** Names of the layers whose gradient norms were recorded (each 3x3 convolution). */
  layerNames: string[];
  gradientNorms: GradientNormSample[];
  /** Per-batch training losses. */
  losses: number[];
  /** The safetensors file with the trained weights and buffers. */
  weightsFile: string;
}

export function netName(spec: Pick<NetSpec, "depth" | "residual">): string {
  return `${spec.residual ? "resnet" : "plain"}-${spec.depth}`;
}

export function netKey(spec: NetSpec): string {
  const variant = `${spec.shortcut}${spec.preActivation ? "-preact" : ""}`;
  const recipe = `e${spec.epochs}-n${spec.trainLimit}-v${spec.validLimit}-b${spec.batchSize}-lr${spec.lr}-wd${spec.weightDecay}-${spec.schedule}`;
  return `${spec.dataset}/${netName(spec)}-${variant}/seed${spec.seed}/${recipe}`;
}

/** Builds a freshly initialised net for the spec; the seed fixes its initialisation. */
export function initialNet(spec: NetSpec): CifarResNet {
  manualSeed(spec.seed);
  return new CifarResNet({ depth: spec.depth, residual: spec.residual, shortcut: spec.shortcut, preActivation: spec.preActivation });
}

/** Rebuilds a trained net from its weights file, in eval mode. */
export function loadTrainedNet(trained: TrainedNet): CifarResNet {
  if (!existsSync(trained.weightsFile)) {
    const part = trained.weightsFile.replace(/\.weights\.safetensors$/, ".json");
    throw new Error(`the weights of ${netKey(trained.spec)} are missing (${trained.weightsFile}): rm ${part} to train the net again`);
  }
  const model = initialNet(trained.spec);
  const { tensors } = loadSafetensors(trained.weightsFile);
  model.loadStateDict(tensors);
  return model.eval();
}

/** The training callbacks' records up to a checkpoint, saved with it for a resumed run. */
interface RecordedSoFar {
  trainErrors: number[];
  gradientNorms: GradientNormSample[];
  losses: number[];
}

/** One stderr line per epoch: which net, where it stands, and the time left for this net. */
function progressLogger(spec: NetSpec, log: (message: string) => void): EpochLogger {
  // Epoch times come from the rows, so the rows a resumed run replays count at their real length.
  const epochSeconds: number[] = [];
  return {
    row: (row) => {
      epochSeconds.push(row.seconds);
      const perEpoch = epochSeconds.reduce((sum, seconds) => sum + seconds, 0) / epochSeconds.length;
      const left = Math.round(perEpoch * (spec.epochs - row.epoch - 1));
      log(
        `${spec.dataset} ${netName(spec)} seed ${spec.seed}: epoch ${row.epoch + 1}/${spec.epochs} ` +
          `train_loss ${row.trainLoss.toFixed(4)} test_error ${row.metrics.error_rate.toFixed(4)} (${row.seconds.toFixed(0)} s, ${left} s left for this net)`,
      );
    },
  };
}

/** Trains the net (or returns the cached result); logs each epoch with an ETA. */
export async function trainNet(spec: NetSpec, folder: RunFolder, log: (message: string) => void): Promise<TrainedNet> {
  const key = netKey(spec);
  const { value } = await folder.part(key, async () => {
    const { train, valid } = experimentDataset(spec.dataset, spec.trainLimit, spec.validLimit);
    const model = initialNet(spec);
    const dls = DataLoaders.fromDatasets(train, valid, { batchSize: spec.batchSize, seed: spec.seed });
    const layerNames = model.responseNames();
    const weights = model.namedParameters();
    const tracked = layerNames.map((name) => weights.find(([parameterName]) => parameterName === `${name}.weight`)![1]);

    const trainErrors = new TrainErrorCallback();
    const gradientNorms = new GradientNormCallback(tracked, spec.gradientEvery);
    const learn = new Learner(dls, model, {
      optFunc: fastaiSgd,
      wd: spec.weightDecay,
      metrics: [errorRate],
      logger: progressLogger(spec, log),
      callbacks: [trainErrors, gradientNorms, new BatchProgressCallback(`${spec.dataset} ${netName(spec)} seed ${spec.seed}`, log)],
    });

    // A killed run resumes from the part's last finished epoch; the schedules depend only on
    // the epoch and iteration, so the resumed run continues on the same curve. The checkpoint
    // also carries what the callbacks recorded so far, read afresh at every save.
    const checkpoint = folder.checkpointPath(key);
    let startEpoch = 0;
    if (existsSync(checkpoint)) {
      const { epochsDone, settings } = learn.load(checkpoint);
      startEpoch = epochsDone;
      const recorded = settings as Partial<RecordedSoFar>;
      // JSON stores NaN as null.
      const number = (value: number | null) => value ?? Number.NaN;
      trainErrors.errors.push(...(recorded.trainErrors ?? Array<number>(epochsDone).fill(Number.NaN)).map(number));
      gradientNorms.samples.push(...(recorded.gradientNorms ?? []).map((sample) => ({ iteration: sample.iteration, norms: sample.norms.map(number) })));
      learn.recorder.losses.push(...(recorded.losses ?? []).map(number));
      log(`${key}: resuming after epoch ${startEpoch - 1}`);
    }
    const recordedSoFar = {
      key,
      get trainErrors() {
        return trainErrors.errors;
      },
      get gradientNorms() {
        return gradientNorms.samples;
      },
      get losses() {
        return learn.recorder.losses;
      },
    };
    const saveEachEpoch = new CheckpointCallback(checkpoint, recordedSoFar);
    if (spec.schedule === "one-cycle") {
      await learn.fitOneCycle(spec.epochs, spec.lr, { startEpoch, callbacks: [saveEachEpoch] });
    } else {
      await learn.fit(spec.epochs, spec.lr, { startEpoch, callbacks: [new StepScheduleCallback(spec.lr), saveEachEpoch] });
    }

    const weightsFile = folder.artefactPath(key, "weights.safetensors");
    saveSafetensors(weightsFile, model.stateDict() as Map<string, Tensor>);
    // NOTE: a checkpoint written before the callbacks' records were saved with it resumes with
    // NaN training errors for its finished epochs and without their losses and gradient norms.
    const history: EpochRecord[] = learn.recorder.rows.map((row, index) => ({
      epoch: row.epoch,
      trainLoss: row.trainLoss,
      trainError: trainErrors.errors[index] ?? Number.NaN,
      testLoss: row.validLoss,
      testError: row.metrics.error_rate,
      seconds: row.seconds,
    }));
    return {
      spec,
      parameters: model.numParameters(),
      history,
      layerNames,
      gradientNorms: gradientNorms.samples,
      losses: learn.recorder.losses,
      weightsFile,
    } satisfies TrainedNet;
  });
  // The weights lie beside the part wherever the run folder is now, so a moved or committed run
  // folder still finds them.
  return { ...value, weightsFile: folder.artefactPath(key, "weights.safetensors") };
}
