// Exported learners for inference, as fastai's export and load_learner: the model's weights and
// the settings that rebuild it, without optimizer state, training table or data.
import { existsSync } from "node:fs";
import type { Module } from "../nn/index.js";
import { loadSafetensors, saveSafetensors, type Tensor } from "../torch/index.js";
import type { Learner } from "./learner.js";
import { predictImage, type ImageInput, type Prediction } from "./predict.js";
import { createVisionModel, visionArchitectures, type VisionModelConfig } from "./vision.js";

const exportFormat = "residual-lab-export-1";

/** Writes the learner's model and its VisionModelConfig to `file` as safetensors (atomically). */
export function exportLearner(learner: Learner, file: string): void {
  if (learner.isFitting) throw new Error("export: this Learner is fitting; export after fit returns");
  if (!learner.modelConfig) {
    throw new Error(
      `export: this Learner's model cannot be rebuilt from a name; export needs a learner made by visionLearner with one of ${Object.keys(visionArchitectures).join(", ")}`,
    );
  }
  saveSafetensors(file, learner.model.stateDict(), { format: exportFormat, config: JSON.stringify(learner.modelConfig) });
}

/** A model loaded from an export, ready to classify images. */
export class InferenceLearner {
  constructor(
    readonly model: Module,
    readonly config: VisionModelConfig,
    readonly device: string = "cpu",
  ) {}

  get classNames(): readonly string[] {
    return this.config.classNames;
  }

  /** Classifies one image (see ImageInput for the accepted forms). */
  predict(input: ImageInput): Prediction {
    return predictImage(this.model, input, { classNames: this.config.classNames, imageSize: this.config.imageSize, device: this.device });
  }
}

function checkConfig(file: string, config: unknown): VisionModelConfig {
  const fail = (problem: string): never => {
    throw new Error(`${file}: invalid export configuration: ${problem}`);
  };
  if (config === null || typeof config !== "object") return fail("expected a JSON object");
  const { architecture, nIn, plain, ps, headHidden, classNames, imageSize } = config as Partial<VisionModelConfig>;
  if (typeof architecture !== "string" || !(architecture in visionArchitectures)) {
    fail(`unknown architecture '${String(architecture)}'; expected one of ${Object.keys(visionArchitectures).join(", ")}`);
  }
  if (!Number.isInteger(nIn) || nIn! < 1) fail(`nIn must be a positive integer, got ${String(nIn)}`);
  if (typeof plain !== "boolean") fail(`plain must be true or false, got ${String(plain)}`);
  if (typeof ps !== "number" || typeof headHidden !== "number") fail("ps and headHidden must be numbers");
  if (!Array.isArray(classNames) || classNames.length === 0 || !classNames.every((name) => typeof name === "string")) fail("classNames must be a non-empty list of strings");
  if (!Array.isArray(imageSize) || imageSize.length !== 2 || !imageSize.every((size) => Number.isInteger(size) && size > 0)) fail("imageSize must be [height, width]");
  return config as VisionModelConfig;
}

/** Rebuilds an exported model on `device` (default "cpu") in eval mode. Needs no training data. */
export function loadLearner(file: string, { device = "cpu" }: { device?: string } = {}): InferenceLearner {
  if (!existsSync(file)) throw new Error(`${file}: exported learner not found`);
  const { tensors, metadata } = loadSafetensors(file);
  if (metadata.format !== exportFormat) {
    throw new Error(`${file}: not a residual-lab export (format '${metadata.format ?? "none"}', expected '${exportFormat}'); write one with Learner.export or train --export`);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata.config ?? "null");
  } catch {
    throw new Error(`${file}: invalid export configuration: not JSON`);
  }
  const config = checkConfig(file, parsed);

  const model = createVisionModel(visionArchitectures[config.architecture], {
    nIn: config.nIn,
    nOut: config.classNames.length,
    plain: config.plain,
    ps: config.ps,
    headHidden: config.headHidden,
  });
  try {
    model.loadStateDict(tensors as Map<string, Tensor>);
  } catch (error) {
    throw new Error(`${file}: the weights do not fit the ${config.architecture} model they name: ${(error as Error).message}`);
  }
  if (device !== "cpu") model.toDevice(device);
  model.eval();
  return new InferenceLearner(model, config, device);
}
