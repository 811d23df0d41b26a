// One run of the transformer experiment: build a Transformer or its plain twin, measure its
// residual stream at initialisation, train it with AdamW, and measure again.
import { generatorForEpoch } from "../data/random.js";
import type { TokenSequences } from "../data/token-sequences.js";
import { Transformer, type NormPlacement } from "../models/transformer.js";
import { adamW, F, manualSeed, noGrad, tidy, type Tensor } from "../torch/index.js";
import { rank1Residuals, uniformityResiduals } from "./transformer-rank.js";
import type { SequenceTask } from "./transformer-tasks.js";

export interface TransformerModelConfig {
  dModel: number;
  nHeads: number;
  mlpRatio: number;
  norm: NormPlacement;
}

export interface TransformerTrainingConfig {
  steps: number;
  batchSize: number;
  /** Peak AdamW learning rate, reached after the warm-up and decayed to 0 by a cosine. */
  learningRate: number;
  /** Linear warm-up steps from 0 to the peak. */
  warmupSteps: number;
  /** AdamW's decoupled weight decay on the matrices (linear weights, embeddings); biases and LayerNorms get none. */
  weightDecay: number;
  /** Steps between records of the training loss and the per-layer gradient norms. */
  logEvery: number;
  /** Steps between validation passes. */
  evalEvery: number;
}

export interface Evaluation {
  step: number;
  /** Mean cross-entropy per target token, in nats; null once the run has diverged. */
  loss: number | null;
  /** Share of target tokens predicted right (top-1). */
  accuracy: number | null;
  /** Share of examples with every target right (sorting only; teacher-forced). */
  sequenceAccuracy: number | null;
}

/** The residual stream at one moment: one value per hidden state, embedding output first. */
export interface StreamRanks {
  /** Mean over the probe sequences of the rank-1 residual of X [T, D]. */
  rank1Residual: number[];
  /** Mean over the probe sequences of the distance from token uniformity, ‖X - 1x̄ᵀ‖_F / ‖X‖_F. */
  uniformityResidual: number[];
}

export interface TransformerRun {
  task: string;
  norm: NormPlacement;
  depth: number;
  residual: boolean;
  seed: number;
  parameters: number;
  /** Training loss, averaged over each logging interval; entry i ends at step (i + 1) · logEvery. */
  trainLoss: number[];
  /** Per-layer gradient norms at the first step and then at every logEvery steps: layer 0 is the embeddings, 1..depth the blocks, depth + 1 the final norm and head. */
  gradientNorms: { step: number; perLayer: number[] }[];
  evaluations: Evaluation[];
  final: Evaluation;
  atInit: StreamRanks;
  /** null when the run diverged. */
  trained: StreamRanks | null;
  /** True when the training loss became NaN or infinite; training stopped there. */
  diverged: boolean;
}

export interface RunSpec {
  task: SequenceTask;
  depth: number;
  residual: boolean;
  seed: number;
  model: TransformerModelConfig;
  training: TransformerTrainingConfig;
  probe: Tensor;
  /** Leave the MLPs out (attention-only blocks). */
  attentionOnly?: boolean;
}

export function buildTransformer(spec: Omit<RunSpec, "training" | "probe">): Transformer {
  manualSeed(spec.seed);
  return new Transformer({
    vocabSize: spec.task.vocabSize,
    contextLength: spec.task.sequenceLength,
    dModel: spec.model.dModel,
    nHeads: spec.model.nHeads,
    nLayers: spec.depth,
    mlpRatio: spec.model.mlpRatio,
    dropout: 0,
    norm: spec.model.norm,
    residual: spec.residual,
    mlp: !spec.attentionOnly,
  });
}

/** Measures every hidden state of the model on the probe inputs [P, T]. */
export function measureStream(model: Transformer, probe: Tensor): StreamRanks {
  const mean = (values: number[]) => values.reduce((total, value) => total + value, 0) / values.length;
  return tidy(() =>
    noGrad(() => {
      const states = model.hiddenStates(probe); // depth + 1 tensors [P, T, D]
      return {
        rank1Residual: states.map((state) => mean(rank1Residuals(state))),
        uniformityResidual: states.map((state) => mean(uniformityResiduals(state))),
      };
    }),
  );
}

/** Cross-entropy on the scored positions: the last S of the T logits, against targets [B, S]. */
function scoredLoss(logits: Tensor, targets: Tensor): Tensor {
  const [batch, length, vocab] = logits.shape;
  const scored = targets.shape[1];
  const predictions = logits.narrow(1, length - scored, scored).reshape(batch * scored, vocab); // [B·S, V]
  return F.crossEntropy(predictions, targets.reshape(batch * scored));
}

/** Loss and accuracy on a fixed set, in chunks of at most 256 examples. */
export function evaluate(model: Transformer, sequences: TokenSequences, step: number, scoresWholeSequences: boolean): Evaluation {
  const count = sequences.inputs.shape[0];
  let lossSum = 0;
  let correctTokens = 0;
  let correctSequences = 0;
  const scored = sequences.targets.shape[1];

  for (let start = 0; start < count; start += 256) {
    const size = Math.min(256, count - start);
    const chunk = tidy(() =>
      noGrad(() => {
        const inputs = sequences.inputs.narrow(0, start, size); // [b, T]
        const targets = sequences.targets.narrow(0, start, size); // [b, S]
        const logits = model.forward(inputs); // [b, T, V]
        const loss = scoredLoss(logits, targets).item() * size;
        const hits = logits.narrow(1, logits.shape[1] - scored, scored).argmax(2).eq(targets).float(); // [b, S]
        return { loss, tokens: hits.sum().item(), sequences: hits.sum(1).eq(scored).float().sum().item() };
      }),
    );
    lossSum += chunk.loss;
    correctTokens += chunk.tokens;
    correctSequences += chunk.sequences;
  }

  const loss = lossSum / count;
  if (!Number.isFinite(loss)) return { step, loss: null, accuracy: null, sequenceAccuracy: null };
  return {
    step,
    loss,
    accuracy: correctTokens / (count * scored),
    sequenceAccuracy: scoresWholeSequences ? correctSequences / count : null,
  };
}

/** Groups the parameters by layer: embeddings, each block, then final norm and head. */
function layerParameters(model: Transformer): Tensor[][] {
  const embeddings = [model.tokenEmbedding, model.positionEmbedding];
  const blocks = model.transformerBlocks().map((block) => block.parameters());
  const output = [...(model.finalNorm?.parameters() ?? []), ...model.head.parameters()];
  return [embeddings, ...blocks, output];
}

/** Computes the L2 norm of each layer's gradient, all its parameters together. */
function gradientNorms(layers: Tensor[][]): number[] {
  return layers.map((parameters) =>
    tidy(() => {
      let squares = 0;
      for (const parameter of parameters) {
        const gradient = parameter.grad;
        if (gradient) squares += gradient.square().sum().item();
      }
      return Math.sqrt(squares);
    }),
  );
}

/** Linear warm-up to the peak, then a cosine decay to 0 at the last step. */
export function learningRateAt(step: number, training: TransformerTrainingConfig): number {
  const { steps, warmupSteps, learningRate } = training;
  if (step < warmupSteps) return (learningRate * (step + 1)) / warmupSteps;
  const progress = (step - warmupSteps) / Math.max(1, steps - warmupSteps);
  return 0.5 * learningRate * (1 + Math.cos(Math.PI * progress));
}

export async function trainTransformer(spec: RunSpec): Promise<TransformerRun> {
  const { task, training } = spec;
  const model = buildTransformer(spec);
  const atInit = measureStream(model, spec.probe);

  const matrices = model.parameters().filter((parameter) => parameter.ndim >= 2);
  const vectors = model.parameters().filter((parameter) => parameter.ndim < 2);
  // beta2 0.99 is fastai's default; PyTorch's 0.999 adapts too slowly for a few hundred steps.
  const optimizer = adamW(
    [
      { params: matrices, weightDecay: training.weightDecay },
      { params: vectors, weightDecay: 0 },
    ],
    { lr: learningRateAt(0, training), beta2: 0.99 },
  );

  const layers = layerParameters(model);
  const generator = generatorForEpoch(spec.seed, 0);
  const trainLoss: number[] = [];
  const norms: TransformerRun["gradientNorms"] = [];
  const evaluations: Evaluation[] = [];
  let intervalLoss = 0;
  let diverged = false;
  let stepsDone = 0;

  model.train();
  for (let step = 0; step < training.steps; step++) {
    optimizer.setHyperparameters({ lr: learningRateAt(step, training) });
    const recordNorms = step === 0 || (step + 1) % training.logEvery === 0;

    const loss = tidy(() => {
      const batch = task.trainBatch(generator, training.batchSize);
      const value = scoredLoss(model.forward(batch.inputs), batch.targets);
      optimizer.zeroGrad();
      value.backward();
      if (recordNorms) norms.push({ step: step + 1, perLayer: gradientNorms(layers) });
      optimizer.step();
      return value.item();
    });

    if (!Number.isFinite(loss)) {
      diverged = true;
      break;
    }
    stepsDone = step + 1;
    intervalLoss += loss;
    if ((step + 1) % training.logEvery === 0) {
      trainLoss.push(intervalLoss / training.logEvery);
      intervalLoss = 0;
    }
    if ((step + 1) % training.evalEvery === 0 && step + 1 < training.steps) {
      evaluations.push(evaluate(model.eval(), task.valid, step + 1, task.scoresWholeSequences));
      model.train();
    }
    // Lets the native finalizers of collected tensors run between steps.
    await new Promise((resolve) => setImmediate(resolve));
  }

  model.eval();
  const final = diverged
    ? { step: stepsDone, loss: null, accuracy: null, sequenceAccuracy: null }
    : evaluate(model, task.valid, training.steps, task.scoresWholeSequences);
  evaluations.push(final);

  return {
    task: task.name,
    norm: spec.model.norm,
    depth: spec.depth,
    residual: spec.residual,
    seed: spec.seed,
    parameters: model.numParameters(),
    trainLoss,
    gradientNorms: norms,
    evaluations,
    final,
    atInit,
    trained: diverged ? null : measureStream(model, spec.probe),
    diverged,
  };
}
