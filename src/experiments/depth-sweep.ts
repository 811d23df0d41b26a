// depth-sweep: "when are residual connections needed?" From the degradation runs, the shallowest
// depth at which the plain twin's training loss exceeds its residual twin's by more than the
// seed-to-seed spread, per dataset.
import { degradation, type DegradationConfig, type DegradationData } from "./degradation.js";
import { compareTwins, spread, type Experiment, type Spread, type TwinVerdict } from "./experiment.js";

export interface DepthGap {
  depth: number;
  residualTrainLoss: Spread;
  plainTrainLoss: Spread;
  /** plain mean minus residual mean. */
  gap: number;
  /** "residual" when residual is lower beyond the spread, "plain" when plain is, else "inconclusive". */
  better: TwinVerdict;
}

export interface DepthSweepAnswer {
  dataset: string;
  gaps: DepthGap[];
  /** The shallowest depth where the residual net trains better beyond the spread, or null. */
  neededFromDepth: number | null;
  /** The deepest depth tried. */
  deepestTried: number;
}

export interface DepthSweepData {
  answers: DepthSweepAnswer[];
}

/** Computes each data set's depth-sweep answer from degradation's runs. */
export function depthSweepAnswers(data: DegradationData, config: Pick<DegradationConfig, "datasets" | "depths">): DepthSweepAnswer[] {
  const depths = [...config.depths].sort((a, b) => a - b);
  return config.datasets.map((dataset) => {
    const gaps = depths.map((depth): DepthGap => {
      const losses = (residual: boolean) =>
        data.runs.filter((run) => run.dataset === dataset && run.depth === depth && run.residual === residual).map((run) => run.finalTrainLoss);
      const residualTrainLoss = spread(losses(true));
      const plainTrainLoss = spread(losses(false));
      return {
        depth,
        residualTrainLoss,
        plainTrainLoss,
        gap: plainTrainLoss.mean - residualTrainLoss.mean,
        better: compareTwins(losses(true), losses(false)),
      };
    });
    const needed = gaps.find((gap) => gap.better === "residual");
    return { dataset, gaps, neededFromDepth: needed?.depth ?? null, deepestTried: depths.at(-1)! };
  });
}

export const depthSweep: Experiment<DegradationConfig, DepthSweepData> = {
  name: "depth-sweep",
  summary: "from the degradation runs: the shallowest depth at which the plain twin falls behind",
  configFor: (profile, overrides) => degradation.configFor(profile, overrides),

  async run(config, context) {
    // The trained nets are cached, so this reuses degradation's runs when they exist.
    const data = await degradation.run(config, context);
    return { answers: depthSweepAnswers(data, config) };
  },
};
