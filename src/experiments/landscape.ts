// landscape: loss along filter-normalised random directions around trained weights (Li, Xu,
// Taylor, Studer and Goldstein 2018, "Visualizing the Loss Landscape of Neural Nets"). Each
// direction is drawn from a normal distribution and every filter of it is scaled to the norm of
// the matching trained filter; BatchNorm and bias entries stay zero. Li et al. found ResNet-56's
// surface near-convex and plain-56's chaotic, while at 20 layers both look alike.
import type { CifarResNet } from "../models/index.js";
import { F, manualSeed, noGrad, randn, tidy, zerosLike, type Tensor } from "../torch/index.js";
import { experimentDataset, imageBatch, imageDatasetsFrom } from "./datasets.js";
import { compareTwins, spread, yieldToEventLoop, type Experiment, type ExperimentOverrides, type Profile, type Spread, type TwinVerdict } from "./experiment.js";
import { profileChoices, type Recipe } from "./profiles.js";
import { loadTrainedNet, netKey, trainNet } from "./trained-nets.js";

export interface LandscapeConfig {
  dataset: string;
  depths: number[];
  seeds: number[];
  recipe: Recipe;
  /** Training images the loss is measured on (BatchNorm in eval mode). */
  lossImages: number;
  /** Points of the 1-D slice over [-1, 1]. */
  points1d: number;
  /** Points per axis of the 2-D slice over [-1, 1]^2 (first seed only). */
  points2d: number;
  trainedNetsFolder: string;
}

export interface LandscapeRun {
  depth: number;
  residual: boolean;
  seed: number;
  alphas: number[];
  losses1d: number[];
  /** Row-major [points2d x points2d] losses, or null for seeds after the first. */
  losses2d: number[][] | null;
  /** Fraction of interior 1-D points where the discrete second difference is negative. */
  nonConvexFraction1d: number;
  /** Fraction of interior 2-D points where the 5-point Laplacian is negative, or null. */
  nonConvexFraction2d: number | null;
  /** Mean loss at alpha = ±0.5 minus the loss at 0: how fast the loss rises. */
  riseAtHalf: number;
}

export interface LandscapeComparison {
  depth: number;
  nonConvexFraction: { residual: Spread; plain: Spread; smoother: TwinVerdict };
}

export interface LandscapeData {
  runs: LandscapeRun[];
  comparisons: LandscapeComparison[];
}

/** Draws a random direction with each filter scaled to the norm of the matching trained filter. */
export function filterNormalizedDirection(parameters: readonly [string, Tensor][]): Tensor[] {
  return noGrad(() =>
    parameters.map(([, weight]) => {
      // BatchNorm weights and every bias are 1-d: Li et al. leave them out of the direction.
      if (weight.ndim < 2) return zerosLike(weight);
      const direction = randn(weight.shape);
      const shape = [weight.shape[0], ...weight.shape.slice(1).map(() => 1)];
      const filterNorm = (tensor: Tensor) => tensor.flatten(1).square().sum(1).sqrt().reshape(...shape); // [out, 1, ...]
      return tidy(() => direction.div(filterNorm(direction).add(1e-10)).mul(filterNorm(weight)));
    }),
  );
}

function lossAt(model: CifarResNet, images: Tensor, labels: Tensor): number {
  return noGrad(() => tidy(() => F.crossEntropy(model.forward(images), labels).item()));
}

/** Sets every parameter to origin + Σ coefficient · direction. */
function moveTo(parameters: readonly Tensor[], origin: readonly Tensor[], directions: readonly Tensor[][], coefficients: readonly number[]): void {
  noGrad(() => {
    parameters.forEach((parameter, index) => {
      parameter.copy_(origin[index]);
      directions.forEach((direction, d) => parameter.addScaled_(direction[index], coefficients[d]));
    });
  });
}

export function nonConvexFraction1d(losses: readonly number[]): number {
  let negative = 0;
  for (let i = 1; i < losses.length - 1; i++) if (losses[i - 1] - 2 * losses[i] + losses[i + 1] < 0) negative += 1;
  return negative / Math.max(1, losses.length - 2);
}

export function nonConvexFraction2d(grid: readonly number[][]): number {
  let negative = 0;
  let interior = 0;
  for (let i = 1; i < grid.length - 1; i++) {
    for (let j = 1; j < grid[i].length - 1; j++) {
      const laplacian = grid[i - 1][j] + grid[i + 1][j] + grid[i][j - 1] + grid[i][j + 1] - 4 * grid[i][j];
      interior += 1;
      if (laplacian < 0) negative += 1;
    }
  }
  return negative / Math.max(1, interior);
}

function linspace(points: number): number[] {
  return Array.from({ length: points }, (_, i) => -1 + (2 * i) / (points - 1));
}

export const landscape: Experiment<LandscapeConfig, LandscapeData> = {
  name: "landscape",
  summary: "1-D and 2-D loss slices along filter-normalised directions around trained weights",

  configFor(profile: Profile, overrides: ExperimentOverrides): LandscapeConfig {
    const choices = profileChoices[profile];
    const depths = overrides.depths ?? choices.depths;
    return {
      dataset: imageDatasetsFrom(overrides.datasets, choices.datasets)[0],
      depths: [Math.min(...depths), Math.max(...depths)],
      seeds: overrides.seeds ?? choices.seeds,
      recipe: choices.recipe,
      lossImages: profile === "quick" ? 128 : 2000,
      points1d: profile === "quick" ? 15 : 51,
      points2d: profile === "quick" ? 7 : 31,
      trainedNetsFolder: "trained-nets",
    };
  },

  async run(config, context) {
    const nets = context.folder.sibling(config.trainedNetsFolder);
    const { train } = experimentDataset(config.dataset, config.recipe.trainLimit, config.recipe.validLimit);
    const images = imageBatch(train, config.lossImages); // [N, 1, 28, 28]
    const labels = train.labels.narrow(0, 0, images.shape[0]); // [N]

    const runs: LandscapeRun[] = [];
    for (const depth of config.depths) {
      for (const residual of [true, false]) {
        for (const [seedIndex, seed] of config.seeds.entries()) {
          const trained = await trainNet({ ...config.recipe, dataset: config.dataset, depth, residual, seed }, nets, context.log);
          const sliceKey = `${config.lossImages}-${config.points1d}-${config.points2d}`;
          const { value } = await context.folder.part(`${residual ? "resnet" : "plain"}-${depth}/seed${seed}/${sliceKey}/${netKey(trained.spec)}`, async () => {
            context.log(`landscape: ${residual ? "resnet" : "plain"}-${depth} seed ${seed}`);
            const model = loadTrainedNet(trained);
            const named = model.namedParameters();
            const parameters = named.map(([, parameter]) => parameter);
            const origin = noGrad(() => parameters.map((parameter) => parameter.clone()));
            // With option A both twins have the same parameters in the same order, so one seed
            // draws the same directions for both.
            manualSeed(10_000 + seed);
            const first = filterNormalizedDirection(named);
            const second = filterNormalizedDirection(named);

            const alphas = linspace(config.points1d);
            const losses1d: number[] = [];
            for (const alpha of alphas) {
              moveTo(parameters, origin, [first], [alpha]);
              losses1d.push(lossAt(model, images, labels));
              await yieldToEventLoop();
            }
            let losses2d: number[][] | null = null;
            if (seedIndex === 0) {
              const axis = linspace(config.points2d);
              losses2d = [];
              for (const beta of axis) {
                const row: number[] = [];
                for (const alpha of axis) {
                  moveTo(parameters, origin, [first, second], [alpha, beta]);
                  row.push(lossAt(model, images, labels));
                  await yieldToEventLoop();
                }
                losses2d.push(row);
              }
            }
            moveTo(parameters, origin, [], []);
            const centre = (config.points1d - 1) / 2;
            const quarter = (config.points1d - 1) / 4;
            const run: LandscapeRun = {
              depth,
              residual,
              seed,
              alphas,
              losses1d,
              losses2d,
              nonConvexFraction1d: nonConvexFraction1d(losses1d),
              nonConvexFraction2d: losses2d ? nonConvexFraction2d(losses2d) : null,
              riseAtHalf: (losses1d[Math.round(centre - quarter)] + losses1d[Math.round(centre + quarter)]) / 2 - losses1d[Math.round(centre)],
            };
            return run;
          });
          runs.push(value);
        }
      }
    }

    const comparisons = config.depths.map((depth): LandscapeComparison => {
      const fractions = (residual: boolean) => runs.filter((run) => run.depth === depth && run.residual === residual).map((run) => run.nonConvexFraction1d);
      return {
        depth,
        nonConvexFraction: {
          residual: spread(fractions(true)),
          plain: spread(fractions(false)),
          smoother: compareTwins(fractions(true), fractions(false)),
        },
      };
    });
    return { runs, comparisons };
  },
};
