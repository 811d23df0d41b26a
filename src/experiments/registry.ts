// Every experiment by name, in the order `experiment all` runs them: the trained nets of the
// degradation sweep are reused by depth-sweep, gradients, lesion and landscape.
import { degradation } from "./degradation.js";
import { depthSweep } from "./depth-sweep.js";
import type { Experiment } from "./experiment.js";
import { gradients } from "./gradients.js";
import { landscape } from "./landscape.js";
import { lesion } from "./lesion.js";
import { shattered } from "./shattered.js";
import { transformer } from "./transformer.js";

// Each experiment has its own config and data types; the registry only runs and stores them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyExperiment = Experiment<any, any>;

export const experiments: readonly AnyExperiment[] = [degradation, depthSweep, gradients, lesion, landscape, shattered, transformer];

export function findExperiment(name: string): AnyExperiment | undefined {
  return experiments.find((experiment) => experiment.name === name);
}
