// transformer: what the residual stream does for a Transformer. A depth sweep trains decoder-only
// Transformers and their plain twins (no skip around attention or MLP) on digit sorting and a
// character-level language model, and records loss curves, final loss and accuracy, per-layer
// gradient norms and rank collapse. Rank collapse is each layer's distance from rank 1, at
// initialisation and after training. Dong, Cordonnier and Loukas 2021 prove that pure attention
// loses rank doubly exponentially with depth and that skip connections prevent it.
import { defaultDevilsDictionaryFolder, hasDevilsDictionary } from "../data/devils-dictionary.js";
import { getNumThreads, setNumThreads } from "../torch/index.js";
import { compareGroups, spread, type Experiment, type ExperimentContext, type ExperimentOverrides, type Profile, type Spread } from "./experiment.js";
import { buildTransformer, measureStream, trainTransformer, type StreamRanks, type TransformerModelConfig, type TransformerRun, type TransformerTrainingConfig } from "./transformer-training.js";
import { devilsDictionaryTask, isTransformerTaskName, probeInputs, sortingTask, type SequenceTask, type SortingTaskOptions, type TextTaskOptions, type TransformerTaskName } from "./transformer-tasks.js";

export interface TransformerExperimentConfig {
  tasks: TransformerTaskName[];
  /** Blocks per model in the training sweep. */
  depths: number[];
  seeds: number[];
  model: TransformerModelConfig;
  /** Training recipe per task. */
  training: Record<TransformerTaskName, TransformerTrainingConfig>;
  sorting: SortingTaskOptions;
  text: TextTaskOptions;
  /** Validation sequences whose hidden states the rank measurements read. */
  probeSequences: number;
  /** Depths of the attention-only stacks measured at initialisation (no training, so deeper is cheap). */
  attentionOnlyDepths: number[];
  /**
   * libtorch intra-op threads while the experiment runs; the previous count is restored after.
   * 1 in both profiles because the tensors are small. With 2 threads and other jobs on the 2
   * cores, the quick profile took 731 s instead of 67 s, most of it OpenMP threads waiting.
   */
  threads: number;
}

/** Attention-only blocks (no MLP) at initialisation: the setting of Dong et al.'s theorem, plus LayerNorm. */
export interface AttentionOnlyRun {
  task: TransformerTaskName;
  depth: number;
  residual: boolean;
  seed: number;
  atInit: StreamRanks;
}

export type Verdict = "residual" | "plain" | "inconclusive";

export interface GroupComparison {
  residual: Spread;
  plain: Spread;
  /** The better group when the gap between the means exceeds both groups' seed ranges together, else "inconclusive". */
  better: Verdict;
}

export interface DepthComparison {
  task: TransformerTaskName;
  depth: number;
  /** Final validation loss, lower is better. Diverged runs are left out. */
  finalLoss: GroupComparison;
  /** Final validation token accuracy, higher is better. */
  finalAccuracy: GroupComparison;
  /** Rank-1 residual of the last hidden state; higher means further from collapse. */
  lastLayerRankAtInit: GroupComparison;
  lastLayerRankTrained: GroupComparison;
  /** Per-layer gradient norms (embeddings, blocks, head), mean over seeds, at the first step and at the last recorded step. */
  gradientNorms: {
    firstStep: { residual: number[]; plain: number[] };
    lastStep: { residual: number[]; plain: number[] };
  };
  diverged: { residual: number; plain: number };
}

/** The measured side of the paper's claim, from the attention-only stacks. */
export interface RankCollapseCheck {
  task: TransformerTaskName;
  depths: number[];
  /** Per depth: the last hidden state's rank-1 residual over seeds. */
  plain: Spread[];
  residual: Spread[];
  /** "agrees": without skips the residual falls with depth and ends below the skip version's; "disagrees": the reverse. */
  verdict: "agrees" | "disagrees" | "inconclusive";
}

export interface TransformerData {
  runs: TransformerRun[];
  attentionOnly: AttentionOnlyRun[];
  comparisons: DepthComparison[];
  rankCollapse: RankCollapseCheck[];
  /** Sentences computed from the comparisons above. */
  conclusions: string[];
  paperClaim: { citation: string; claim: string };
  /** Tasks left out, with the reason (a missing package). */
  skipped: { task: TransformerTaskName; reason: string }[];
}

export const paperClaim = {
  citation:
    "Yihe Dong, Jean-Baptiste Cordonnier and Andreas Loukas, \"Attention is not all you need: pure attention loses rank doubly exponentially with depth\", ICML 2021 (arXiv:2103.03404)",
  claim:
    "Without skip connections or MLPs, the output of a self-attention network converges doubly exponentially with depth to a rank-1 matrix (token uniformity); skip connections and MLPs stop this degeneration.",
};

const sortingTraining: TransformerTrainingConfig = { steps: 80, batchSize: 32, learningRate: 3e-3, warmupSteps: 8, weightDecay: 0.1, logEvery: 10, evalEvery: 40 };

const profiles: Record<Profile, Omit<TransformerExperimentConfig, "seeds">> = {
  // Sorting only: with Debian's reference BLAS the linear layers dominate, and the text task
  // would double the time of a profile that has about 90 s.
  quick: {
    tasks: ["sorting"],
    depths: [1, 2, 4, 8],
    model: { dModel: 32, nHeads: 4, mlpRatio: 4, norm: "pre" },
    training: {
      sorting: sortingTraining,
      "devils-dictionary": { ...sortingTraining, learningRate: 2e-3 },
    },
    sorting: { length: 8, digits: 10, validCount: 256 },
    text: { contextLength: 32, validWindows: 128, folder: defaultDevilsDictionaryFolder },
    probeSequences: 16,
    attentionOnlyDepths: [1, 2, 4, 8, 16, 32],
    threads: 1,
  },
  full: {
    tasks: ["sorting", "devils-dictionary"],
    depths: [2, 4, 8, 16],
    model: { dModel: 64, nHeads: 4, mlpRatio: 4, norm: "pre" },
    training: {
      sorting: { ...sortingTraining, steps: 500, warmupSteps: 50, evalEvery: 100, logEvery: 20 },
      "devils-dictionary": { steps: 500, batchSize: 8, learningRate: 2e-3, warmupSteps: 50, weightDecay: 0.1, logEvery: 20, evalEvery: 100 },
    },
    sorting: { length: 8, digits: 10, validCount: 1024 },
    text: { contextLength: 64, validWindows: 256, folder: defaultDevilsDictionaryFolder },
    probeSequences: 32,
    attentionOnlyDepths: [1, 2, 4, 8, 16, 32, 64],
    threads: 1,
  },
};

/**
 * Picks the tasks named in the `datasets` override. `experiment all` passes the same list to
 * every experiment, so names of other experiments' datasets are ignored, and a list without any
 * task name keeps the profile's tasks.
 */
function tasksFrom(names: string[] | undefined, fallback: TransformerTaskName[]): TransformerTaskName[] {
  const chosen = (names ?? []).filter(isTransformerTaskName);
  return chosen.length > 0 ? [...new Set(chosen)] : fallback;
}

function loadTask(name: TransformerTaskName, config: TransformerExperimentConfig): SequenceTask {
  return name === "sorting" ? sortingTask(config.sorting) : devilsDictionaryTask(config.text);
}

function runKey(kind: string, task: string, norm: string, depth: number, residual: boolean, seed: number): string {
  return `${task}/${kind}/${norm}-ln/depth-${depth}/${residual ? "residual" : "plain"}/seed-${seed}`;
}

const verdictNames = { a: "residual", b: "plain", inconclusive: "inconclusive" } as const;

function compare(residual: number[], plain: number[], lowerIsBetter: boolean): GroupComparison {
  const verdict = compareGroups(residual, plain, lowerIsBetter);
  return { residual: spread(residual), plain: spread(plain), better: verdictNames[verdict] };
}

export function compareDepths(runs: readonly TransformerRun[]): DepthComparison[] {
  const keys = [...new Set(runs.map((run) => `${run.task}\u0000${run.depth}`))];
  return keys.map((key) => {
    const [task, depthText] = key.split("\u0000");
    const depth = Number(depthText);
    const group = (residual: boolean) => runs.filter((run) => run.task === task && run.depth === depth && run.residual === residual);
    const finite = (values: (number | null)[]) => values.filter((value): value is number => value !== null);
    const lastRank = (ranks: StreamRanks | null) => (ranks ? ranks.rank1Residual[ranks.rank1Residual.length - 1] : null);
    const measure = (pick: (run: TransformerRun) => number | null) => [finite(group(true).map(pick)), finite(group(false).map(pick))] as const;
    const meanNorms = (residual: boolean, moment: "first" | "last") => {
      const records = group(residual)
        .map((run) => (moment === "first" ? run.gradientNorms[0] : run.gradientNorms[run.gradientNorms.length - 1]))
        .filter((record) => record !== undefined);
      return Array.from({ length: depth + 2 }, (_, layer) => spread(records.map((record) => record.perLayer[layer])).mean);
    };

    return {
      task: task as TransformerTaskName,
      depth,
      finalLoss: compare(...measure((run) => run.final.loss), true),
      finalAccuracy: compare(...measure((run) => run.final.accuracy), false),
      lastLayerRankAtInit: compare(...measure((run) => lastRank(run.atInit)), false),
      lastLayerRankTrained: compare(...measure((run) => lastRank(run.trained)), false),
      gradientNorms: {
        firstStep: { residual: meanNorms(true, "first"), plain: meanNorms(false, "first") },
        lastStep: { residual: meanNorms(true, "last"), plain: meanNorms(false, "last") },
      },
      diverged: { residual: group(true).filter((run) => run.diverged).length, plain: group(false).filter((run) => run.diverged).length },
    };
  });
}

export function checkRankCollapse(runs: readonly AttentionOnlyRun[]): RankCollapseCheck[] {
  const tasks = [...new Set(runs.map((run) => run.task))];
  return tasks.map((task) => {
    const depths = [...new Set(runs.filter((run) => run.task === task).map((run) => run.depth))].sort((a, b) => a - b);
    const last = (residual: boolean, depth: number) =>
      runs.filter((run) => run.task === task && run.depth === depth && run.residual === residual).map((run) => run.atInit.rank1Residual[depth]);
    const plain = depths.map((depth) => spread(last(false, depth)));
    const residual = depths.map((depth) => spread(last(true, depth)));

    // The claim has two measurable parts: the plain stack's rank-1 residual falls with depth,
    // and at the deepest depth it is below the residual stack's by more than the seed spread.
    const deepest = depths[depths.length - 1];
    const atDeepest = compareGroups(last(false, deepest), last(true, deepest), true);
    const falls = plain.length > 1 && plain[plain.length - 1].max < plain[0].min;
    const rises = plain.length > 1 && plain[plain.length - 1].min > plain[0].max;
    let verdict: RankCollapseCheck["verdict"] = "inconclusive";
    if (falls && atDeepest === "a") verdict = "agrees";
    else if (rises || atDeepest === "b") verdict = "disagrees";
    return { task, depths, plain, residual, verdict };
  });
}

function formatNumber(value: number, digits: number): string {
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e4) ? value.toExponential(digits - 1) : value.toPrecision(digits);
}

function format(value: Spread): string {
  return `${formatNumber(value.mean, 3)} ± ${formatNumber(value.std, 2)}`;
}

function verdictText(comparison: GroupComparison, measure: string): string {
  const values = `residual ${format(comparison.residual)}, plain ${format(comparison.plain)}`;
  if (comparison.residual.n < 2 || comparison.plain.n < 2) return `${measure}: ${values}; inconclusive, one seed per group shows no spread`;
  if (comparison.better === "inconclusive") return `${measure}: ${values}; inconclusive, the gap is within the seed spread`;
  return `${measure}: ${values}; ${comparison.better} is better`;
}

export function conclude(comparisons: readonly DepthComparison[], checks: readonly RankCollapseCheck[]): string[] {
  const lines: string[] = [];
  for (const comparison of comparisons) {
    const prefix = `${comparison.task}, depth ${comparison.depth}`;
    if (comparison.finalLoss.residual.n === 0 || comparison.finalLoss.plain.n === 0) {
      lines.push(`${prefix}: no finished run to compare (diverged: residual ${comparison.diverged.residual}, plain ${comparison.diverged.plain})`);
      continue;
    }
    lines.push(`${prefix}: ${verdictText(comparison.finalLoss, "validation loss (nats per token)")}`);
    lines.push(`${prefix}: ${verdictText(comparison.finalAccuracy, "validation token accuracy")}`);
    lines.push(`${prefix}: ${verdictText(comparison.lastLayerRankAtInit, "last layer's rank-1 residual at initialisation (higher is further from collapse)")}`);
    lines.push(`${prefix}: ${verdictText(comparison.lastLayerRankTrained, "last layer's rank-1 residual after training")}`);
    const { firstStep, lastStep } = comparison.gradientNorms;
    const embedding = (norms: number[]) => formatNumber(norms[0], 2);
    lines.push(
      `${prefix}: gradient norm of the embeddings at the first step: residual ${embedding(firstStep.residual)}, plain ${embedding(firstStep.plain)}; ` +
        `at the last recorded step: residual ${embedding(lastStep.residual)}, plain ${embedding(lastStep.plain)}`,
    );
    if (comparison.diverged.residual + comparison.diverged.plain > 0) {
      lines.push(`${prefix}: diverged runs left out: residual ${comparison.diverged.residual}, plain ${comparison.diverged.plain}`);
    }
  }

  for (const check of checks) {
    const plain = check.plain.map((value, i) => `${check.depths[i]}: ${value.mean.toExponential(2)}`).join(", ");
    const residual = check.residual.map((value, i) => `${check.depths[i]}: ${value.mean.toExponential(2)}`).join(", ");
    const singleSeed = check.plain.some((value) => value.n < 2) || check.residual.some((value) => value.n < 2);
    const reading = {
      agrees: "agrees with the paper: without skips the representations approach rank 1 as depth grows, with skips they do not",
      disagrees: "disagrees with the paper",
      inconclusive: singleSeed
        ? "is inconclusive: one seed per group shows no spread"
        : "is inconclusive: the fall with depth or the gap to the skip version is within the seed spread",
    }[check.verdict];
    lines.push(`${check.task}, attention-only stacks at initialisation, last layer's rank-1 residual by depth: plain ${plain}; residual ${residual}. This ${reading}.`);
  }
  if (checks.length > 0) {
    // The models compute in float32, so a relative residual near its machine epsilon (1.2e-7) is
    // rank 1 to working precision, and a decay rate cannot be read below it.
    lines.push("Rank-1 residuals below about 1e-6 are float32 round-off: those representations are rank 1 to working precision.");
  }
  return lines;
}

export const transformer: Experiment<TransformerExperimentConfig, TransformerData> = {
  name: "transformer",
  summary: "Transformers and their plain twins by depth: loss, gradient norms and rank collapse of the residual stream",

  configFor(profile: Profile, overrides: ExperimentOverrides): TransformerExperimentConfig {
    const base = profiles[profile];
    return {
      ...base,
      tasks: tasksFrom(overrides.datasets, base.tasks),
      depths: overrides.depths ?? base.depths,
      seeds: overrides.seeds ?? [0, 1],
    };
  },

  async run(config, context) {
    const previousThreads = getNumThreads();
    setNumThreads(config.threads);
    try {
      return await runSweep(config, context);
    } finally {
      setNumThreads(previousThreads);
    }
  },
};

/** Runs or reuses every part, per task: the attention-only measurements, then the training runs. */
async function runSweep(config: TransformerExperimentConfig, context: ExperimentContext): Promise<TransformerData> {
  const runs: TransformerRun[] = [];
  const attentionOnly: AttentionOnlyRun[] = [];
  const skipped: TransformerData["skipped"] = [];
  const norm = config.model.norm;

  for (const name of config.tasks) {
    if (name === "devils-dictionary" && !hasDevilsDictionary(config.text.folder)) {
      const reason = `${config.text.folder}/devil.dict.dz not found: install Debian's dict-devil package`;
      context.log(`transformer: skipping devils-dictionary, ${reason}`);
      skipped.push({ task: name, reason });
      continue;
    }
    const task = loadTask(name, config);
    const probe = probeInputs(task, config.probeSequences);

    for (const depth of config.attentionOnlyDepths) {
      for (const residual of [true, false]) {
        for (const seed of config.seeds) {
          const key = runKey("attention-only", name, norm, depth, residual, seed);
          const { value } = await context.folder.part(key, async () => {
            const model = buildTransformer({ task, depth, residual, seed, model: config.model, attentionOnly: true });
            return { task: name, depth, residual, seed, atInit: measureStream(model, probe) };
          });
          attentionOnly.push(value);
        }
      }
    }

    for (const depth of config.depths) {
      for (const residual of [true, false]) {
        for (const seed of config.seeds) {
          const key = runKey("trained", name, norm, depth, residual, seed);
          const { value, seconds, reused } = await context.folder.part(key, () =>
            trainTransformer({ task, depth, residual, seed, model: config.model, training: config.training[name], probe }),
          );
          const loss = value.final.loss === null ? "diverged" : `validation loss ${value.final.loss.toFixed(3)}`;
          context.log(`transformer: ${key}: ${loss}${reused ? " (reused)" : `, ${seconds.toFixed(1)} s`}`);
          runs.push(value);
        }
      }
    }
  }

  const comparisons = compareDepths(runs);
  const rankCollapse = checkRankCollapse(attentionOnly);
  return { runs, attentionOnly, comparisons, rankCollapse, conclusions: conclude(comparisons, rankCollapse), paperClaim, skipped };
}
