// Summary statistics and the printed report of bench/train-throughput.ts: a results header that
// records machine, versions, threads, rounds and seed, then one table row per batch size and
// variant.
import type { MemoryFormat, Provenance } from "../src/torch/index.js";
import type { StepMeasurement } from "./residual-lab-step.js";

/** An engine and its settings, measured once per round. PyTorch always runs torch.optim's step and padded convolutions. */
export interface Variant {
  label: string;
  engine: StepMeasurement["engine"];
  memoryFormat: MemoryFormat;
  /** residual-lab: the fused optimizer loops (true) or libtorch's own step (false). */
  fusedOptimizer: boolean;
  /** glibc malloc thresholds for training: residual-lab sets them itself; PyTorch gets them through GLIBC_TUNABLES. */
  trainingMalloc: boolean;
  /** residual-lab: convolutions with one output position run over their window (false: padded, as libtorch). */
  convWindows: boolean;
}

/** One measurement and the variant that made it. */
export interface LabelledMeasurement extends StepMeasurement {
  variant: string;
}

/** Mean and sample standard deviation (null with one value) over rounds. */
export interface Summary {
  mean: number;
  standardDeviation: number | null;
  values: number[];
}

export interface EngineSummary {
  imagesPerSecond: Summary;
  /** The largest peak RSS of any round, in MiB. */
  peakRssMiB: number;
}

export interface ThroughputRow {
  batchSize: number;
  /** The variant's label: residual-lab with its settings, or PyTorch with the levers it can use too. */
  variant: string;
  pytorch: EngineSummary;
  residualLab: EngineSummary;
  /** Mean residual-lab images/s over mean PyTorch images/s. */
  ratio: number;
}

export interface BenchmarkRun {
  /** ISO 8601 time at which the first measurement started. */
  startedAt: string;
  /** The 1-minute load average when the benchmark started. A value well above 0 means other processes shared the cores. */
  loadAverageAtStart: number;
  provenance: Provenance;
  pythonTorch: { python: string; torch: string; torchvision: string };
  rounds: number;
  seed: number;
  stepCounts: { batchSize: number; steps: number; warmupSteps: number }[];
  rows: ThroughputRow[];
  measurements: LabelledMeasurement[];
}

function summarize(values: number[]): Summary {
  const mean = values.reduce((total, value) => total + value, 0) / values.length;
  if (values.length < 2) return { mean, standardDeviation: null, values };

  const squaredDeviations = values.reduce((total, value) => total + (value - mean) ** 2, 0);
  return { mean, standardDeviation: Math.sqrt(squaredDeviations / (values.length - 1)), values };
}

function summarizeEngine(measurements: StepMeasurement[]): EngineSummary {
  if (measurements.length === 0) throw new Error("summarizeEngine: no measurements to summarize");
  return {
    imagesPerSecond: summarize(measurements.map((measurement) => measurement.imagesPerSecond)),
    peakRssMiB: Math.max(...measurements.map((measurement) => measurement.peakRssMiB)),
  };
}

/** Groups measurements into one row per batch size and variant, each against plain PyTorch (the variant "pytorch"). */
export function summarizeRows(measurements: LabelledMeasurement[], batchSizes: number[], variants: string[]): ThroughputRow[] {
  const rows: ThroughputRow[] = [];
  for (const batchSize of batchSizes) {
    const atBatch = measurements.filter((measurement) => measurement.batchSize === batchSize);
    const pytorch = summarizeEngine(atBatch.filter((measurement) => measurement.variant === "pytorch"));

    for (const variant of variants) {
      const residualLab = summarizeEngine(atBatch.filter((measurement) => measurement.variant === variant));
      rows.push({ batchSize, variant, pytorch, residualLab, ratio: residualLab.imagesPerSecond.mean / pytorch.imagesPerSecond.mean });
    }
  }
  return rows;
}

function formatSummary(summary: Summary): string {
  const mean = summary.mean.toFixed(1);
  return summary.standardDeviation === null ? mean : `${mean} ± ${summary.standardDeviation.toFixed(1)}`;
}

/** Formats the results header and a Markdown table of the rows. */
export function formatReport(run: BenchmarkRun): string {
  const machine = run.provenance;
  const steps = run.stepCounts.map((count) => `batch ${count.batchSize}: ${count.steps} timed after ${count.warmupSteps} warm-up`).join("; ");
  const header = [
    "ResNet-18 training-step throughput: inputs [B, 1, 28, 28], 10 classes, AdamW, the same random batch every step",
    `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.platform}`,
    `CPU features: ${machine.cpuFeatures.join(" ") || "none found"}; ATen CPU capability ${machine.cpuCapability}`,
    `residual-lab ${machine.residualLabVersion}: Node ${machine.node}, libtorch ${machine.libtorchVersion} (${machine.libtorchSource}, ${machine.libtorchPath})`,
    `PyTorch peer: torch ${run.pythonTorch.torch}, torchvision ${run.pythonTorch.torchvision} (${run.pythonTorch.python})`,
    `threads: ${machine.threads}, rounds: ${run.rounds} (engine order reversed every other round), seed: ${run.seed}`,
    `steps per measurement: ${steps}`,
    `started: ${run.startedAt}, 1-minute load average then: ${run.loadAverageAtStart.toFixed(2)}`,
    run.rounds > 1 ? "images/s: mean ± sample standard deviation over rounds; peak RSS: largest over rounds" : "images/s: one round; peak RSS: that round",
  ];

  const table = [
    "| batch size | variant | PyTorch images/s | variant images/s | variant / PyTorch | PyTorch peak RSS (MiB) | variant peak RSS (MiB) |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ...run.rows.map((row) =>
      [
        row.batchSize,
        row.variant,
        formatSummary(row.pytorch.imagesPerSecond),
        formatSummary(row.residualLab.imagesPerSecond),
        row.ratio.toFixed(2),
        row.pytorch.peakRssMiB.toFixed(0),
        row.residualLab.peakRssMiB.toFixed(0),
      ].join(" | "),
    ).map((line) => `| ${line} |`),
  ];

  return [...header, "", ...table, ""].join("\n");
}
