// lesion: remove blocks from trained nets at test time and measure the test error (Veit, Wilber
// and Belongie 2016, "Residual Networks Behave Like Ensembles of Relatively Shallow Networks").
// A removed residual block keeps its shortcut; a removed plain block becomes the identity, which
// is only possible where the block keeps its input's shape. Veit et al. found that deleting a
// single block barely changes a residual net's error while a plain net falls to chance, and that
// the residual net's error grows smoothly with the number of blocks deleted.
import type { CifarResNet } from "../models/index.js";
import { noGrad, tidy, type Tensor } from "../torch/index.js";
import { Mulberry32 } from "../data/index.js";
import { experimentDataset, imageBatch, imageDatasetsFrom } from "./datasets.js";
import { compareTwins, spread, yieldToEventLoop, type Experiment, type ExperimentOverrides, type Profile, type Spread, type TwinVerdict } from "./experiment.js";
import { profileChoices, type Recipe } from "./profiles.js";
import { loadTrainedNet, trainNet } from "./trained-nets.js";

export interface LesionConfig {
  datasets: string[];
  depth: number;
  seeds: number[];
  recipe: Recipe;
  /** Largest number of blocks removed at random at once. */
  maxRemoved: number;
  /** Random draws per number of removed blocks. */
  draws: number;
  /** Test images each lesioned net is evaluated on. */
  evalImages: number;
  trainedNetsFolder: string;
}

export interface LesionRun {
  dataset: string;
  residual: boolean;
  seed: number;
  /** Test error with every block in place. */
  baselineError: number;
  /** Test error with block i removed; null where a plain block changes shape. */
  singleBlockErrors: (number | null)[];
  /** Mean test error over random draws of k removed blocks (k = 1..maxRemoved), shape-keeping blocks only. */
  randomRemovalErrors: { removed: number; meanError: number; errors: number[] }[];
}

export interface LesionComparison {
  dataset: string;
  /** Mean over removable blocks of the single-removal error increase, residual against plain. */
  singleRemovalIncrease: { residual: Spread; plain: Spread; smaller: TwinVerdict };
  /** The chance error, 1 - 1/classes. */
  chanceError: number;
}

export interface LesionData {
  runs: LesionRun[];
  comparisons: LesionComparison[];
}

function testError(model: CifarResNet, images: Tensor, labels: Tensor): number {
  return noGrad(() => tidy(() => 1 - model.forward(images).argmax(-1).eq(labels).float().mean().item()));
}

export const lesion: Experiment<LesionConfig, LesionData> = {
  name: "lesion",
  summary: "remove one block, then k random blocks, from trained nets and measure the test error",

  configFor(profile: Profile, overrides: ExperimentOverrides): LesionConfig {
    const choices = profileChoices[profile];
    return {
      datasets: imageDatasetsFrom(overrides.datasets, choices.datasets),
      depth: Math.max(...(overrides.depths ?? choices.depths)),
      seeds: overrides.seeds ?? choices.seeds,
      recipe: choices.recipe,
      maxRemoved: profile === "quick" ? 3 : 8,
      draws: profile === "quick" ? 3 : 20,
      evalImages: profile === "quick" ? 250 : 10000,
      trainedNetsFolder: "trained-nets",
    };
  },

  async run(config, context) {
    const nets = context.folder.sibling(config.trainedNetsFolder);
    const runs: LesionRun[] = [];
    for (const dataset of config.datasets) {
      const { valid } = experimentDataset(dataset, config.recipe.trainLimit, config.recipe.validLimit);
      const images = imageBatch(valid, config.evalImages); // [N, 1, 28, 28]
      const labels = valid.labels.narrow(0, 0, images.shape[0]); // [N]
      for (const residual of [true, false]) {
        for (const seed of config.seeds) {
          const trained = await trainNet({ ...config.recipe, dataset, depth: config.depth, residual, seed }, nets, context.log);
          const model = loadTrainedNet(trained);
          context.log(`lesion: ${dataset} ${residual ? "resnet" : "plain"}-${config.depth} seed ${seed}`);

          model.setRemovedBlocks([]);
          const baselineError = testError(model, images, labels);
          const singleBlockErrors: (number | null)[] = [];
          for (const [index, block] of model.blocks.entries()) {
            if (!residual && block.changesShape) {
              singleBlockErrors.push(null);
              continue;
            }
            model.setRemovedBlocks([index]);
            singleBlockErrors.push(testError(model, images, labels));
            await yieldToEventLoop();
          }

          // Random removals draw from the blocks that keep their shape, so both twins can lose the same blocks.
          const removable = model.blocks.flatMap((block, index) => (block.changesShape ? [] : [index]));
          const random = new Mulberry32(seed * 7919 + 17);
          const randomRemovalErrors = [];
          for (let removed = 1; removed <= Math.min(config.maxRemoved, removable.length); removed++) {
            const errors: number[] = [];
            for (let draw = 0; draw < config.draws; draw++) {
              const pool = [...removable];
              const chosen = Array.from({ length: removed }, () => pool.splice(random.nextInt(pool.length), 1)[0]);
              model.setRemovedBlocks(chosen);
              errors.push(testError(model, images, labels));
              await yieldToEventLoop();
            }
            randomRemovalErrors.push({ removed, meanError: spread(errors).mean, errors });
          }
          model.setRemovedBlocks([]);
          runs.push({ dataset, residual, seed, baselineError, singleBlockErrors, randomRemovalErrors });
        }
      }
    }

    const comparisons = config.datasets.map((dataset): LesionComparison => {
      const increases = (residual: boolean) =>
        runs
          .filter((run) => run.dataset === dataset && run.residual === residual)
          .map((run) => {
            const errors = run.singleBlockErrors.filter((error): error is number => error !== null);
            return spread(errors.map((error) => error - run.baselineError)).mean;
          });
      const classes = experimentDataset(dataset, config.recipe.trainLimit, config.recipe.validLimit).valid.classNames.length;
      return {
        dataset,
        singleRemovalIncrease: {
          residual: spread(increases(true)),
          plain: spread(increases(false)),
          smaller: compareTwins(increases(true), increases(false)),
        },
        chanceError: 1 - 1 / classes,
      };
    });
    return { runs, comparisons };
  },
};
