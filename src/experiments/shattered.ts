// shattered: the gradient of a scalar network's output with respect to its input along a line of
// inputs, at initialisation (Balduzzi, Frean, Leary, Lewis, Ma and McWilliams 2017, "The
// Shattered Gradients Problem"). In deep plain nets the gradient along the line decorrelates
// toward white noise; in residual nets it stays correlated.
import { Mlp } from "../models/index.js";
import { gradients as inputGradients, linspace, manualSeed, noGrad, tidy, type Tensor } from "../torch/index.js";
import { compareTwins, spread, type Experiment, type ExperimentOverrides, type Profile, type Spread, type TwinVerdict } from "./experiment.js";

export interface ShatteredConfig {
  depths: number[];
  seeds: number[];
  /** Inputs on the line [-2, 2]. */
  points: number;
  width: number;
  /** Autocorrelation lags reported. */
  maxLag: number;
}

export interface ShatteredRun {
  depth: number;
  residual: boolean;
  seed: number;
  /** Autocorrelation of the gradient sequence at lags 0..maxLag. */
  autocorrelation: number[];
  /** A sample of the gradient along the line (for the figure), normalised to unit std. */
  gradient: number[];
}

export interface ShatteredComparison {
  depth: number;
  lag1: { residual: Spread; plain: Spread; moreCorrelated: TwinVerdict };
}

export interface ShatteredData {
  inputs: number[];
  runs: ShatteredRun[];
  comparisons: ShatteredComparison[];
}

/**
 * Computes the sample autocorrelation of a sequence at lags 0..maxLag:
 * r(k) = Σ_{i<n-k} (g_i - ḡ)(g_{i+k} - ḡ) / Σ_i (g_i - ḡ)².
 */
export function autocorrelation(values: readonly number[], maxLag: number): number[] {
  const n = values.length;
  const mean = values.reduce((total, value) => total + value, 0) / n;
  const centred = values.map((value) => value - mean);
  const variance = centred.reduce((total, value) => total + value * value, 0);
  return Array.from({ length: maxLag + 1 }, (_, lag) => {
    let sum = 0;
    for (let i = 0; i + lag < n; i++) sum += centred[i] * centred[i + lag];
    return variance === 0 ? 0 : sum / variance;
  });
}

/**
 * Computes the derivative of f at each point of the line. BatchNorm first takes the line's own statistics
 * (one pass in train mode with momentum 1, as a batch of these inputs would give) and is then
 * frozen, so each output depends on its own input only and d(Σ f)/dx_i = f'(x_i).
 */
export function gradientAlongLine(model: Mlp, inputs: Tensor): number[] {
  noGrad(() => tidy(() => model.train().forward(inputs)));
  model.eval();
  return tidy(() => {
    const line = inputs.detach().requiresGrad_(true);
    const [gradient] = inputGradients([model.forward(line).sum()], [line]);
    return gradient.toNumbers();
  });
}

export const shattered: Experiment<ShatteredConfig, ShatteredData> = {
  name: "shattered",
  summary: "autocorrelation of input gradients along a line at initialisation, against depth",

  configFor(profile: Profile, overrides: ExperimentOverrides): ShatteredConfig {
    return {
      depths: overrides.depths ?? (profile === "quick" ? [2, 8, 24, 50] : [2, 4, 8, 16, 24, 36, 50, 100]),
      seeds: overrides.seeds ?? [0, 1],
      points: profile === "quick" ? 256 : 1024,
      width: 200,
      maxLag: 16,
    };
  },

  async run(config, context) {
    const inputs = linspace(-2, 2, config.points).unsqueeze(1); // [points, 1]
    const runs: ShatteredRun[] = [];
    for (const depth of config.depths) {
      for (const residual of [true, false]) {
        for (const seed of config.seeds) {
          context.log(`shattered: ${residual ? "residual" : "plain"} MLP, depth ${depth}, seed ${seed}`);
          manualSeed(seed);
          const model = new Mlp({ inFeatures: 1, width: config.width, depth, outFeatures: 1, residual, normMomentum: 1 });
          const gradient = gradientAlongLine(model, inputs);
          const std = spread(gradient).std || 1;
          runs.push({
            depth,
            residual,
            seed,
            autocorrelation: autocorrelation(gradient, config.maxLag),
            gradient: gradient.map((value) => value / std),
          });
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    }

    const comparisons = config.depths.map((depth): ShatteredComparison => {
      const lag1 = (residual: boolean) => runs.filter((run) => run.depth === depth && run.residual === residual).map((run) => run.autocorrelation[1]);
      // Higher lag-1 autocorrelation counts as better here, so lowerIsBetter is false.
      return {
        depth,
        lag1: { residual: spread(lag1(true)), plain: spread(lag1(false)), moreCorrelated: compareTwins(lag1(true), lag1(false), false) },
      };
    });
    return { inputs: inputs.toNumbers(), runs, comparisons };
  },
};
