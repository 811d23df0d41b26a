// Runs one experiment into its run folder and saves its result with provenance.
import path from "node:path";
import { provenance } from "../torch/index.js";
import type { Experiment, ExperimentOverrides, ExperimentResult, Profile } from "./experiment.js";
import { RunFolder } from "./run-folder.js";

export interface RunOptions {
  profile: Profile;
  overrides: ExperimentOverrides;
  /** The folder holding every experiment's run folder; default "runs". */
  runsFolder: string;
  log: (message: string) => void;
}

export async function runExperiment<C, D>(experiment: Experiment<C, D>, options: RunOptions): Promise<{ result: ExperimentResult<C, D>; file: string }> {
  const config = experiment.configFor(options.profile, options.overrides);
  const folder = new RunFolder(path.join(options.runsFolder, options.profile, experiment.name));
  const startedAt = new Date();
  const started = performance.now();
  options.log(`${experiment.name} (${options.profile}): starting`);

  const data = await experiment.run(config, { profile: options.profile, folder, log: options.log });

  const wallSeconds = (performance.now() - started) / 1000;
  const result: ExperimentResult<C, D> = {
    experiment: experiment.name,
    profile: options.profile,
    config,
    data,
    provenance: provenance(),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    wallSeconds,
    partSeconds: folder.partSeconds,
  };
  const file = folder.writeResult(result);
  options.log(`${experiment.name} (${options.profile}): done in ${wallSeconds.toFixed(0)} s, ${file}`);
  return { result, file };
}
