// `residual-lab experiment NAME|all`: runs experiments into runs/PROFILE/NAME/result.json.
import path from "node:path";
import { experiments, findExperiment, runExperiment, type ExperimentOverrides, type Profile } from "../experiments/index.js";
import { isDatasetName } from "../data/index.js";
import { isTransformerTaskName, transformerTaskNames } from "../experiments/transformer-tasks.js";
import { defaultThreadCount, setNumThreads } from "../torch/index.js";
import { nonNegativeInteger, oneOf, parseFlags, positiveInteger, UsageError } from "./usage-error.js";

export const experimentHelp = `Usage: residual-lab experiment NAME|all [options]

Runs an experiment comparing residual nets with their plain twins and writes
RUNS/PROFILE/NAME/result.json. Finished parts are reused, so a rerun is quick and a killed run
resumes where it stopped.

Experiments:
${experiments.map((experiment) => `  ${experiment.name.padEnd(14)}${experiment.summary}`).join("\n")}

Options:
  --profile NAME     quick (default: all experiments in about 10 minutes on 2 cores) or full
  --datasets LIST    comma-separated: mnist, fashion-mnist or IDX folders
  --seeds LIST       comma-separated seeds, e.g. 0,1,2
  --depths LIST      comma-separated depths (6n+2 for the ResNets, any for shattered)
  --threads N        libtorch threads (default: one per core)
  --runs DIR         where run folders go (default: runs)`;

function integerList(value: string | undefined, flag: string, parse: (text: string, flag: string) => number | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(",").map((item) => parse(item.trim(), flag)!);
  if (items.length === 0) throw new UsageError(`${flag} expects a comma-separated list`);
  return items;
}

// The experiments that train CIFAR-style ResNets (6n+2 layers); shattered and transformer take any depth.
const resNetExperiments = new Set(["degradation", "depth-sweep", "gradients", "lesion", "landscape"]);

/** Rejects depths the CIFAR-style ResNets cannot have, before any net is trained. */
function checkResNetDepths(depths: number[] | undefined, names: string[]): void {
  const users = names.filter((name) => resNetExperiments.has(name));
  const invalid = (depths ?? []).filter((depth) => depth < 8 || (depth - 2) % 6 !== 0);
  if (users.length > 0 && invalid.length > 0) {
    const verb = users.length === 1 ? "trains" : "train";
    throw new UsageError(`--depths: ${users.join(", ")} ${verb} ResNets of 6n+2 layers (8, 14, 20, 26, 32, 44, 56, 110, ...); got ${invalid.join(", ")}`);
  }
}

/** Describes what an experiment reads from --datasets, for the error when none of the names fits. */
function datasetsReadBy(name: string): string {
  if (resNetExperiments.has(name)) return "reads mnist, fashion-mnist or a folder of IDX files";
  if (name === "transformer") return `reads ${transformerTaskNames.join(" or ")}`;
  return "reads no dataset";
}

/**
 * Rejects a dataset that none of the named experiments reads, before anything trains: the
 * experiment would skip it and fall back to its profile's datasets. `all` takes both kinds.
 */
function checkDatasetsFit(datasets: string[] | undefined, names: string[]): void {
  for (const item of datasets ?? []) {
    const isTask = isTransformerTaskName(item);
    const readers = names.filter((name) => (isTask ? name === "transformer" : resNetExperiments.has(name)));
    if (readers.length === 0) throw new UsageError(`--datasets: ${names.join(", ")} ${names.map(datasetsReadBy).join("; ")}, not '${item}'`);
  }
}

/** Reads --datasets: known names, or IDX folders that exist. */
function datasetList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(",").map((item) => item.trim());
  for (const item of items) {
    if (item === "") throw new UsageError(`--datasets has an empty entry: '${value}'`);
    if (!isDatasetName(item) && !isTransformerTaskName(item)) {
      throw new UsageError(`--datasets: '${item}' is neither mnist, fashion-mnist, ${transformerTaskNames.join(", ")} nor a folder of IDX files`);
    }
  }
  return items;
}

export interface ExperimentSettings {
  names: string[];
  profile: Profile;
  overrides: ExperimentOverrides;
  threads: number;
  runsFolder: string;
}

export function parseExperimentFlags(args: string[]): ExperimentSettings {
  const { values, positionals } = parseFlags(
    args,
    {
      profile: { type: "string" },
      datasets: { type: "string" },
      seeds: { type: "string" },
      depths: { type: "string" },
      threads: { type: "string" },
      runs: { type: "string" },
    },
    "experiment",
  );
  if (positionals.length !== 1) throw new UsageError(`experiment: expected one experiment name or 'all', got ${positionals.length}`);
  const [name] = positionals;
  if (name !== "all" && !findExperiment(name)) {
    throw new UsageError(`experiment: unknown experiment '${name}'; expected all or one of ${experiments.map((e) => e.name).join(", ")}`);
  }
  const names = name === "all" ? experiments.map((experiment) => experiment.name) : [name];
  const overrides: ExperimentOverrides = {
    datasets: datasetList(values.datasets),
    seeds: integerList(values.seeds, "--seeds", nonNegativeInteger),
    depths: integerList(values.depths, "--depths", positiveInteger),
  };
  checkResNetDepths(overrides.depths, names);
  checkDatasetsFit(overrides.datasets, names);
  return {
    names,
    profile: oneOf(values.profile, ["quick", "full"] as const, "--profile") ?? "quick",
    overrides,
    threads: positiveInteger(values.threads, "--threads") ?? defaultThreadCount(),
    runsFolder: path.resolve(values.runs ?? "runs"),
  };
}

export async function runExperiments(settings: ExperimentSettings): Promise<string[]> {
  setNumThreads(settings.threads);
  const files: string[] = [];
  const started = performance.now();
  for (const name of settings.names) {
    const { file } = await runExperiment(findExperiment(name)!, {
      profile: settings.profile,
      overrides: settings.overrides,
      runsFolder: settings.runsFolder,
      log: (message) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`),
    });
    files.push(file);
  }
  return files;
}

export async function experimentCommand(args: string[]): Promise<void> {
  const files = await runExperiments(parseExperimentFlags(args));
  for (const file of files) process.stdout.write(`${file}\n`);
}
