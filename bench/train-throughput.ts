// `npm run bench`: compares residual-lab's ResNet-18 training-step throughput with PyTorch eager's
// on this machine, in this run. Each measurement is a separate child process (bench/pytorch_peer.py
// or bench/residual-lab-step.ts), and only one runs at a time. Two libtorch processes on the same
// cores slow each other down many times over because their OpenMP threads spin against each
// other (measured on 2 cores: from 350 to 9 images/s). The order of the engines reverses every
// round, so a slow drift in machine speed falls on both engines alike.
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { parseFlags, positiveInteger, UsageError } from "../src/cli/usage-error.js";
import { defaultThreadCount, provenance, trainingMallocTunables } from "../src/torch/index.js";
import { projectRoot } from "../src/torch/native.js";
import type { StepMeasurement } from "./residual-lab-step.js";
import { environmentWithoutMallocSettings, formatSeedRecipeMemory, measureSeedRecipeMemory, type SeedRecipeMemory } from "./seed-recipe-memory.js";
import { formatReport, summarizeRows, type BenchmarkRun, type LabelledMeasurement, type Variant } from "./throughput-report.js";

const help = `Usage: npm run bench -- [options]

Measures images/s of ResNet-18 training steps (batch [B, 1, 28, 28], AdamW) in PyTorch eager
and in residual-lab, one process at a time, and prints a results header and a table; then the
seed recipe's resident memory after each of eight short epochs on MNIST.

Options:
  --rounds N            measurements per engine and batch size; the order alternates (default 3)
  --threads N           intra-op threads for both engines (default: one per available core)
  --batch-sizes LIST    comma-separated batch sizes (default 32,256)
  --levers              also measure residual-lab with one lever turned off at a time
                        (channels_last, the fused optimizer loops, the malloc thresholds, the
                        window convolutions on 1x1 maps), and PyTorch with the levers it can
                        use too (channels_last, the malloc thresholds)
  --skip-memory         skip the seed recipe's memory run (about 90 s after the throughput)
  --json                print one JSON object instead of the header and tables`;

/** The interpreter that Debian's python3-torch and python3-torchvision install into. */
const pythonPath = "/usr/bin/python3";
const peerScript = path.join(projectRoot, "bench", "pytorch_peer.py");
const stepScript = path.join(projectRoot, "dist", "bench", "residual-lab-step.js");
const seed = 0;

interface Settings {
  rounds: number;
  threads: number;
  batchSizes: number[];
  levers: boolean;
  skipMemory: boolean;
  json: boolean;
}

function parseSettings(args: string[]): Settings {
  const { values } = parseFlags(
    args,
    {
      rounds: { type: "string" },
      threads: { type: "string" },
      "batch-sizes": { type: "string" },
      levers: { type: "boolean" },
      "skip-memory": { type: "boolean" },
      json: { type: "boolean" },
    },
    "train-throughput",
  );
  const batchSizes = (values["batch-sizes"] ?? "32,256").split(",").map((text) => positiveInteger(text.trim(), "--batch-sizes") as number);
  if (new Set(batchSizes).size !== batchSizes.length) throw new UsageError(`--batch-sizes lists a batch size twice: ${values["batch-sizes"]}`);
  return {
    rounds: positiveInteger(values.rounds, "--rounds") ?? 3,
    threads: positiveInteger(values.threads, "--threads") ?? defaultThreadCount(),
    batchSizes,
    levers: values.levers ?? false,
    skipMemory: values["skip-memory"] ?? false,
    json: values.json ?? false,
  };
}

/**
 * Estimates images/s from earlier measurements on a 2-core x86-64 machine with libtorch 1.13,
 * where both engines reached about 350 at batch 32 and about 900 at batch 256. Other batch sizes
 * follow the power law through those two points.
 */
function estimatedImagesPerSecond(batchSize: number): number {
  const exponent = Math.log(900 / 350) / Math.log(256 / 32);
  return 350 * (batchSize / 32) ** exponent;
}

// NOTE: the step counts aim at about 15 s per measurement at the 2-core estimate above. A faster
// machine finishes sooner with more noise, and a busy one takes many times longer.
const targetSeconds = 15;

function stepCounts(batchSize: number): { steps: number; warmupSteps: number } {
  const steps = Math.max(5, Math.round((targetSeconds * estimatedImagesPerSecond(batchSize)) / batchSize));
  return { steps, warmupSteps: Math.max(3, Math.ceil(steps / 10)) };
}

/** Returns torch's and torchvision's versions, or throws an error naming the packages to install. */
function pythonTorchVersions(): { torch: string; torchvision: string } {
  const probe = spawnSync(pythonPath, ["-c", "import torch, torchvision; print(torch.__version__, torchvision.__version__)"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error(`PyTorch for ${pythonPath} is missing (import torch, torchvision failed): run 'apt-get install python3-torch python3-torchvision'`);
  }
  const [torch, torchvision] = probe.stdout.trim().split(/\s+/);
  return { torch, torchvision };
}

/** Runs one measurement in a child process and parses the JSON line it prints. */
function measure(variant: Variant, batchSize: number, threads: number): StepMeasurement {
  const { steps, warmupSteps } = stepCounts(batchSize);
  const flags = ["--batch-size", `${batchSize}`, "--threads", `${threads}`, "--steps", `${steps}`, "--warmup", `${warmupSteps}`, "--seed", `${seed}`];
  if (variant.memoryFormat === "channels_last") flags.push("--channels-last");
  if (variant.engine === "residual-lab" && !variant.fusedOptimizer) flags.push("--libtorch-optimizer");
  if (variant.engine === "residual-lab" && !variant.convWindows) flags.push("--padded-convs");
  const [command, args] = variant.engine === "pytorch" ? [pythonPath, [peerScript, ...flags]] : [process.execPath, [stepScript, ...flags]];

  // Each engine runs with the malloc thresholds its variant sets; the caller's GLIBC_TUNABLES is dropped.
  const env = environmentWithoutMallocSettings();
  if (variant.engine === "pytorch" && variant.trainingMalloc) env.GLIBC_TUNABLES = trainingMallocTunables;
  if (variant.engine === "residual-lab" && !variant.trainingMalloc) env.RESIDUAL_LAB_MALLOC = "glibc";

  // The child's stderr passes through, so its own error message shows when it fails.
  const child = spawnSync(command, args, { encoding: "utf8", env, stdio: ["ignore", "pipe", "inherit"] });
  if (child.error) throw new Error(`${variant.label}: ${command} failed to start: ${child.error.message}`);
  if (child.signal !== null) throw new Error(`${variant.label} at batch ${batchSize} failed: ${command} was killed by ${child.signal}`);
  if (child.status !== 0) throw new Error(`${variant.label} at batch ${batchSize} failed: ${command} exited with status ${child.status}`);

  const lastLine = child.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(lastLine) as StepMeasurement;
  } catch {
    throw new Error(`${variant.label} at batch ${batchSize}: expected one JSON line on stdout, got '${lastLine}'`);
  }
}

function log(message: string): void {
  process.stderr.write(message);
}

function runBenchmark(settings: Settings): BenchmarkRun {
  const torchVersions = pythonTorchVersions();
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = os.loadavg()[0];
  const residualLab: Variant = { label: "residual-lab", engine: "residual-lab", memoryFormat: "channels_last", fusedOptimizer: true, trainingMalloc: true, convWindows: true };
  const pytorch: Variant = { label: "pytorch", engine: "pytorch", memoryFormat: "contiguous", fusedOptimizer: false, trainingMalloc: false, convWindows: false };
  const variants: Variant[] = [pytorch, residualLab];
  if (settings.levers) {
    variants.push(
      { ...residualLab, label: "residual-lab, contiguous", memoryFormat: "contiguous" },
      { ...residualLab, label: "residual-lab, libtorch's optimizer step", fusedOptimizer: false },
      { ...residualLab, label: "residual-lab, glibc's malloc thresholds", trainingMalloc: false },
      { ...residualLab, label: "residual-lab, padded convs on 1x1 maps", convWindows: false },
      { ...pytorch, label: "pytorch, channels_last", memoryFormat: "channels_last" },
      { ...pytorch, label: "pytorch, residual-lab's malloc thresholds", trainingMalloc: true },
      { ...pytorch, label: "pytorch, channels_last and residual-lab's malloc thresholds", memoryFormat: "channels_last", trainingMalloc: true },
    );
  }
  const comparedVariants = variants.filter((variant) => variant.label !== "pytorch").map((variant) => variant.label);

  const measurements: LabelledMeasurement[] = [];
  for (const batchSize of settings.batchSizes) {
    const { steps, warmupSteps } = stepCounts(batchSize);
    log(`batch ${batchSize}: ${steps} timed steps after ${warmupSteps} warm-up steps per measurement\n`);

    for (let round = 0; round < settings.rounds; round++) {
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const variant of order) {
        log(`  round ${round + 1}/${settings.rounds} ${variant.label}: `);
        const measurement = measure(variant, batchSize, settings.threads);
        log(`${measurement.imagesPerSecond.toFixed(1)} images/s in ${measurement.seconds.toFixed(1)} s, peak RSS ${measurement.peakRssMiB.toFixed(0)} MiB\n`);
        if (!Number.isFinite(measurement.finalLoss)) log(`  warning: the final loss is ${measurement.finalLoss}, so training diverged during this measurement\n`);
        measurements.push({ ...measurement, variant: variant.label });
      }
    }
  }

  return {
    startedAt,
    loadAverageAtStart,
    provenance: { ...provenance(), threads: settings.threads },
    pythonTorch: { python: pythonPath, ...torchVersions },
    rounds: settings.rounds,
    seed,
    stepCounts: settings.batchSizes.map((batchSize) => ({ batchSize, ...stepCounts(batchSize) })),
    rows: summarizeRows(measurements, settings.batchSizes, comparedVariants),
    measurements,
  };
}

function main(args: string[]): void {
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(help + "\n");
    return;
  }
  const settings = parseSettings(args);
  const run = runBenchmark(settings);
  let memory: SeedRecipeMemory | null = null;
  if (!settings.skipMemory) {
    log("seed recipe memory: 8 short epochs of residual-lab train\n");
    memory = measureSeedRecipeMemory(settings.threads);
  }

  if (settings.json) {
    process.stdout.write(JSON.stringify({ ...run, seedRecipeMemory: memory }) + "\n");
    return;
  }
  process.stdout.write(formatReport(run));
  if (memory !== null) process.stdout.write("\n" + formatSeedRecipeMemory(memory));
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
