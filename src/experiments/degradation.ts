// degradation: a depth sweep of CIFAR-style ResNets and their plain twins under one recipe.
// He et al. 2015 (section 4.2, Fig. 6) found that deeper plain nets reach a higher training
// error (plain-56 above plain-20 on CIFAR-10) while deeper residual nets do not.
import { compareGroups, spread, type Experiment, type ExperimentOverrides, type Profile, type Spread } from "./experiment.js";
import { profileChoices, type Recipe } from "./profiles.js";
import { imageDatasetsFrom } from "./datasets.js";
import { netName, trainNet, type EpochRecord } from "./trained-nets.js";

export interface DegradationConfig {
  datasets: string[];
  depths: number[];
  seeds: number[];
  recipe: Recipe;
  /** The shared cache of trained nets. */
  trainedNetsFolder: string;
}

export interface DegradationRun {
  dataset: string;
  depth: number;
  residual: boolean;
  seed: number;
  parameters: number;
  history: EpochRecord[];
  /** Training loss of the last epoch (smoothed, as fastai shows it). */
  finalTrainLoss: number;
  finalTrainError: number;
  testError: number;
  seconds: number;
}

export interface DepthSummary {
  depth: number;
  residual: boolean;
  trainLoss: Spread;
  trainError: Spread;
  testError: Spread;
}

/** Which of two groups of seeds reached the lower training loss: "a" (the first named), "b", or neither beyond the spread. */
export type Verdict = "a" | "b" | "inconclusive";

export interface DegradationFinding {
  dataset: string;
  shallowest: number;
  deepest: number;
  /** Plain nets, shallowest (a) against deepest (b): "a" means the deeper plain net trains worse, the degradation. */
  plainShallowVersusDeep: Verdict;
  /** The same comparison for residual nets. */
  residualShallowVersusDeep: Verdict;
  /** At the deepest depth, residual (a) against plain (b). */
  residualVersusPlainAtDepth: Verdict;
}

export interface DegradationData {
  runs: DegradationRun[];
  summaries: Record<string, DepthSummary[]>;
  findings: DegradationFinding[];
}

export function summarize(runs: readonly DegradationRun[], dataset: string, depth: number, residual: boolean): DepthSummary {
  const group = runs.filter((run) => run.dataset === dataset && run.depth === depth && run.residual === residual);
  return {
    depth,
    residual,
    trainLoss: spread(group.map((run) => run.finalTrainLoss)),
    trainError: spread(group.map((run) => run.finalTrainError)),
    testError: spread(group.map((run) => run.testError)),
  };
}

function finalTrainLosses(runs: readonly DegradationRun[], dataset: string, depth: number, residual: boolean): number[] {
  return runs.filter((run) => run.dataset === dataset && run.depth === depth && run.residual === residual).map((run) => run.finalTrainLoss);
}

export const degradation: Experiment<DegradationConfig, DegradationData> = {
  name: "degradation",
  summary: "depth sweep of residual nets and their plain twins: training loss and error, test error",

  configFor(profile: Profile, overrides: ExperimentOverrides): DegradationConfig {
    const choices = profileChoices[profile];
    return {
      datasets: imageDatasetsFrom(overrides.datasets, choices.datasets),
      depths: overrides.depths ?? choices.depths,
      seeds: overrides.seeds ?? choices.seeds,
      recipe: choices.recipe,
      trainedNetsFolder: "trained-nets",
    };
  },

  async run(config, context) {
    const nets = context.folder.sibling(config.trainedNetsFolder);
    const runs: DegradationRun[] = [];
    const total = config.datasets.length * config.depths.length * 2 * config.seeds.length;
    for (const dataset of config.datasets) {
      for (const depth of config.depths) {
        for (const residual of [true, false]) {
          for (const seed of config.seeds) {
            context.log(`degradation: net ${runs.length + 1}/${total}: ${dataset} ${netName({ depth, residual })} seed ${seed}`);
            const trained = await trainNet({ ...config.recipe, dataset, depth, residual, seed }, nets, context.log);
            const last = trained.history.at(-1)!;
            runs.push({
              dataset,
              depth,
              residual,
              seed,
              parameters: trained.parameters,
              history: trained.history,
              finalTrainLoss: last.trainLoss,
              finalTrainError: last.trainError,
              testError: last.testError,
              seconds: trained.history.reduce((sum, epoch) => sum + epoch.seconds, 0),
            });
          }
        }
      }
    }

    const summaries: Record<string, DepthSummary[]> = {};
    const findings: DegradationFinding[] = [];
    const shallowest = Math.min(...config.depths);
    const deepest = Math.max(...config.depths);
    for (const dataset of config.datasets) {
      summaries[dataset] = config.depths.flatMap((depth) => [summarize(runs, dataset, depth, true), summarize(runs, dataset, depth, false)]);
      findings.push({
        dataset,
        shallowest,
        deepest,
        plainShallowVersusDeep: compareGroups(finalTrainLosses(runs, dataset, shallowest, false), finalTrainLosses(runs, dataset, deepest, false)),
        residualShallowVersusDeep: compareGroups(finalTrainLosses(runs, dataset, shallowest, true), finalTrainLosses(runs, dataset, deepest, true)),
        residualVersusPlainAtDepth: compareGroups(finalTrainLosses(runs, dataset, deepest, true), finalTrainLosses(runs, dataset, deepest, false)),
      });
    }
    return { runs, summaries, findings };
  },
};
