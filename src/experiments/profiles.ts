// The two profiles' training recipes. quick: subsets and few epochs, so that all experiments
// together finish in about 10 minutes on 2 cores while the effects can still show; full: He et
// al. 2015's depths on the whole data sets. The paper's schedule (164 epochs on CIFAR-10) would
// take days on 2 cores. Three one-cycle epochs of the whole training set keep one data set's
// sweep of depths 20, 32 and 56 within about two and a half hours (an estimate from ResNet-20's epochs).
import type { Profile } from "./experiment.js";
import type { NetSpec } from "./trained-nets.js";

export type Recipe = Omit<NetSpec, "dataset" | "depth" | "residual" | "seed">;

export interface ProfileChoices {
  datasets: string[];
  seeds: number[];
  /** Depths of the degradation sweep (6n+2). */
  depths: number[];
  recipe: Recipe;
}

export const profileChoices: Record<Profile, ProfileChoices> = {
  quick: {
    datasets: ["mnist", "fashion-mnist"],
    seeds: [0, 1],
    depths: [8, 20, 44],
    recipe: {
      shortcut: "A",
      preActivation: false,
      epochs: 2,
      trainLimit: 2048,
      validLimit: 1000,
      batchSize: 16,
      lr: 0.05,
      weightDecay: 1e-4,
      schedule: "one-cycle",
      gradientEvery: 32,
    },
  },
  full: {
    datasets: ["mnist", "fashion-mnist"],
    seeds: [0, 1],
    depths: [20, 32, 44, 56],
    recipe: {
      shortcut: "A",
      preActivation: false,
      epochs: 3,
      trainLimit: 60000,
      validLimit: 10000,
      batchSize: 128,
      lr: 0.1,
      weightDecay: 1e-4,
      schedule: "one-cycle",
      gradientEvery: 50,
    },
  },
};
