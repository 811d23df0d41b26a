// visionLearner: fastai's vision_learner for a torchvision-style ResNet trained from scratch.
// The model is Sequential(body, head): the body is the ResNet without avgpool and fc, the head
// is fastai's create_head.
import type { DataLoaders } from "../data/index.js";
import { resnet18, resnet34, type ResNetArchitecture } from "../models/index.js";
import {
  AdaptiveConcatPool2d,
  BatchNorm1d,
  Conv2d,
  Dropout,
  Flatten,
  Linear,
  ReLU,
  Sequential,
  init,
  type Module,
} from "../nn/index.js";
import { noGrad, zeros } from "../torch/index.js";
import { Learner, type LearnerOptions } from "./learner.js";

/** The architectures that an exported learner can name and loadLearner can rebuild. */
export const visionArchitectures: Readonly<Record<string, ResNetArchitecture>> = { resnet18, resnet34 };

/** Everything needed to rebuild a visionLearner's model without its data (stored by export). */
export interface VisionModelConfig {
  /** Key of visionArchitectures, such as "resnet18". */
  architecture: string;
  /** Input channels. */
  nIn: number;
  /** Whether the body is the plain twin, with every shortcut removed. */
  plain: boolean;
  /** Dropout of the head's last layer. */
  ps: number;
  /** Hidden width of the head. */
  headHidden: number;
  /** Class names, indexed by the model's outputs. */
  classNames: string[];
  /** Height and width of the training images, in pixels. */
  imageSize: [number, number];
}

export interface VisionLearnerOptions extends LearnerOptions {
  /** Pretrained weights cannot be loaded here (no network); only false is accepted. */
  pretrained?: false;
  /** Input channels; default: the data's (1 for MNIST). */
  nIn?: number;
  /** Build the plain twin of the architecture (every shortcut removed); default false. */
  plain?: boolean;
  /** Dropout of the head's last layer; the first gets half of it. Default 0.5, as fastai. */
  ps?: number;
  /** Hidden width of the head; default 512, as fastai. */
  headHidden?: number;
}

/**
 * fastai's create_head(nf, nOut) with concat pooling: AdaptiveConcatPool2d, Flatten,
 * BatchNorm1d(nf), Dropout(ps/2), Linear(nf, hidden, no bias), ReLU, BatchNorm1d(hidden),
 * Dropout(ps), Linear(hidden, nOut, no bias). nf counts the concatenated features (2x the body's).
 */
export function createHead(nf: number, nOut: number, { ps = 0.5, hidden = 512 } = {}): Sequential {
  const firstNorm = fastaiBatchNorm1d(nf);
  const secondNorm = fastaiBatchNorm1d(hidden);
  const head = new Sequential(
    new AdaptiveConcatPool2d(1),
    new Flatten(),
    firstNorm,
    new Dropout(ps / 2),
    new Linear(nf, hidden, { bias: false }),
    new ReLU(),
    secondNorm,
    new Dropout(ps),
    new Linear(hidden, nOut, { bias: false }),
  );

  // fastai's apply_init(head, kaiming_normal_): fan_in, gain √2; normalisation layers untouched.
  for (const [, module] of head.namedModules()) {
    if (module instanceof Linear) init.kaimingNormal_(module.weight);
  }
  return head;
}

/** fastai's BatchNorm for the head: weight 1 and bias 1e-3. */
function fastaiBatchNorm1d(features: number): BatchNorm1d {
  const norm = new BatchNorm1d(features);
  norm.bias!.fill_(1e-3);
  return norm;
}

/**
 * fastai's create_body for an untrained ResNet: the layers before the pooling, with the first
 * convolution replaced by a freshly initialised one when nIn is not 3 (_update_first_layer).
 */
export function createBody(arch: ResNetArchitecture, { nIn = 3, residual = true } = {}): Sequential {
  const model = arch({ residual });
  const layers: Module[] = model.bodyLayers();
  if (nIn !== 3) {
    const first = model.conv1;
    layers[0] = new Conv2d(nIn, first.outChannels, first.kernelSize, { ...first.options, bias: first.bias !== null });
  }
  return new Sequential(...layers);
}

/** The channel count a body outputs, found by running it on one small input (fastai's num_features_model). */
function bodyFeatures(body: Module, nIn: number): number {
  const training = body.training;
  body.eval();
  const features = noGrad(() => body.forward(zeros([1, nIn, 64, 64])).shape[1]);
  body.train(training);
  return features;
}

/** Builds Sequential(body, head) as visionLearner does, for `nOut` classes. */
export function createVisionModel(arch: ResNetArchitecture, { nIn, nOut, plain = false, ps = 0.5, headHidden = 512 }: { nIn: number; nOut: number; plain?: boolean; ps?: number; headHidden?: number }): Sequential {
  const body = createBody(arch, { nIn, residual: !plain });
  const head = createHead(bodyFeatures(body, nIn) * 2, nOut, { ps, hidden: headHidden });
  return new Sequential(body, head);
}

export function visionLearner(dls: DataLoaders, arch: ResNetArchitecture, options: VisionLearnerOptions = {}): Learner {
  if (options.pretrained) throw new Error("visionLearner: pretrained weights are not available; residual-lab trains from scratch (pretrained: false)");
  const nIn = options.nIn ?? dls.nIn;
  const { plain = false, ps = 0.5, headHidden = 512 } = options;

  const model = createVisionModel(arch, { nIn, nOut: dls.classNames.length, plain, ps, headHidden });
  const learner = new Learner(dls, model, options);
  const architecture = Object.keys(visionArchitectures).find((name) => visionArchitectures[name] === arch);
  if (architecture) {
    learner.modelConfig = { architecture, nIn, plain, ps, headHidden, classNames: [...dls.classNames], imageSize: dls.train.dataset.imageSize };
  }
  return learner;
}
