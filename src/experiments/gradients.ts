// gradients: how gradients and layer responses spread through depth, residual against plain.
// Per-layer gradient norms at initialisation and through training (recorded while the nets of
// the degradation sweep train), and the standard deviation of each 3x3 layer's response after
// BatchNorm and before the addition (He et al. 2015, Fig. 7: residual responses are smaller,
// so each residual function stays close to zero).
import { noGrad, tidy, type Tensor } from "../torch/index.js";
import { experimentDataset, imageBatch, imageDatasetsFrom } from "./datasets.js";
import { compareTwins, spread, yieldToEventLoop, type Experiment, type Profile, type ExperimentOverrides, type Spread, type TwinVerdict } from "./experiment.js";
import { profileChoices, type Recipe } from "./profiles.js";
import { initialNet, loadTrainedNet, netKey, trainNet, type NetSpec } from "./trained-nets.js";
import type { CifarResNet } from "../models/index.js";
import type { GradientNormSample } from "./training-callbacks.js";

export interface GradientsConfig {
  dataset: string;
  /** Two depths, shallow and deep. */
  depths: number[];
  seeds: number[];
  recipe: Recipe;
  /** Test images the responses are measured on. */
  responseImages: number;
  trainedNetsFolder: string;
}

export interface GradientsRun {
  depth: number;
  residual: boolean;
  seed: number;
  layerNames: string[];
  /** Gradient norm per layer on the first training batch (at initialisation). */
  initialGradientNorms: number[];
  gradientNorms: GradientNormSample[];
  /** Response standard deviation per layer at initialisation (BatchNorm with batch statistics). */
  initialResponseStd: number[];
  /** Response standard deviation per layer after training (eval mode). */
  trainedResponseStd: number[];
  /** log10 of the first layer's gradient norm over the last layer's, at initialisation. */
  initialGradientSpread: number;
}

export interface GradientsComparison {
  depth: number;
  /** Mean response std over the layers, trained nets, residual (a) against plain (b). */
  responseStd: { residual: Spread; plain: Spread; smaller: TwinVerdict };
  /** |log10(first / last gradient norm)| at initialisation; smaller means gradients reach early layers undiminished. */
  gradientSpread: { residual: Spread; plain: Spread; flatter: TwinVerdict };
}

export interface GradientsData {
  runs: GradientsRun[];
  comparisons: GradientsComparison[];
}

function responseStds(model: CifarResNet, images: Tensor): number[] {
  return noGrad(() => tidy(() => model.forwardWithResponses(images).responses.map((response) => response.std().item())));
}

export const gradients: Experiment<GradientsConfig, GradientsData> = {
  name: "gradients",
  summary: "per-layer gradient norms and layer response std at initialisation and after training",

  configFor(profile: Profile, overrides: ExperimentOverrides): GradientsConfig {
    const choices = profileChoices[profile];
    const depths = overrides.depths ?? choices.depths;
    return {
      dataset: imageDatasetsFrom(overrides.datasets, choices.datasets)[0],
      depths: [Math.min(...depths), Math.max(...depths)],
      seeds: overrides.seeds ?? choices.seeds,
      recipe: choices.recipe,
      responseImages: profile === "quick" ? 256 : 1000,
      trainedNetsFolder: "trained-nets",
    };
  },

  async run(config, context) {
    const nets = context.folder.sibling(config.trainedNetsFolder);
    const { valid } = experimentDataset(config.dataset, config.recipe.trainLimit, config.recipe.validLimit);
    const images = imageBatch(valid, config.responseImages); // [N, 1, 28, 28]

    const runs: GradientsRun[] = [];
    for (const depth of config.depths) {
      for (const residual of [true, false]) {
        for (const seed of config.seeds) {
          const spec: NetSpec = { ...config.recipe, dataset: config.dataset, depth, residual, seed };
          const trained = await trainNet(spec, nets, context.log);
          const initial = trained.gradientNorms.find((sample) => sample.iteration === 0);
          if (initial === undefined) {
            throw new Error(`gradients: ${netKey(spec)} has no gradient norms at initialisation (a net resumed from an older checkpoint); delete its part to retrain it`);
          }
          const initialGradientNorms = initial.norms;
          runs.push({
            depth,
            residual,
            seed,
            layerNames: trained.layerNames,
            initialGradientNorms,
            gradientNorms: trained.gradientNorms,
            // At initialisation the running statistics are still 0 and 1, so BatchNorm uses batch statistics.
            initialResponseStd: responseStds(initialNet(spec).train(), images),
            trainedResponseStd: responseStds(loadTrainedNet(trained), images),
            initialGradientSpread: Math.log10(initialGradientNorms[0] / initialGradientNorms.at(-1)!),
          });
          await yieldToEventLoop();
        }
      }
    }

    const comparisons = config.depths.map((depth): GradientsComparison => {
      const group = (residual: boolean) => runs.filter((run) => run.depth === depth && run.residual === residual);
      const meanStd = (residual: boolean) => group(residual).map((run) => spread(run.trainedResponseStd).mean);
      const gradientSpreads = (residual: boolean) => group(residual).map((run) => Math.abs(run.initialGradientSpread));
      return {
        depth,
        responseStd: { residual: spread(meanStd(true)), plain: spread(meanStd(false)), smaller: compareTwins(meanStd(true), meanStd(false)) },
        gradientSpread: {
          residual: spread(gradientSpreads(true)),
          plain: spread(gradientSpreads(false)),
          flatter: compareTwins(gradientSpreads(true), gradientSpreads(false)),
        },
      };
    });
    return { runs, comparisons };
  },
};
