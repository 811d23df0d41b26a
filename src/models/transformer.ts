// A small decoder-only Transformer in the GPT-2 layout (Radford et al. 2019, "Language Models
// are Unsupervised Multitask Learners"): learned token and position embeddings, blocks of
// multi-head causal self-attention and a GELU MLP, each with LayerNorm, then a linear head.
// `residual: false` builds the plain twin: it removes the skip around attention and around
// the MLP in every block and keeps every layer, parameter and initialisation the same.
// The option defaults are GPT-2 small's, as Hugging Face's GPT2Config lists them.
import { Dropout, LayerNorm, Linear, Module, Sequential } from "../nn/index.js";
import { F, ones, zeros, type Tensor } from "../torch/index.js";

/** LayerNorm placement in a block: before each sublayer (GPT-2) or after each addition (Vaswani et al. 2017). */
export type NormPlacement = "pre" | "post";

export interface TransformerOptions {
  /** Number of token ids; required. */
  vocabSize: number;
  /** Maximum sequence length, the rows of the position embedding; default 1024, as GPT-2. */
  contextLength?: number;
  /** Width of the residual stream; default 768, as GPT-2 small. */
  dModel?: number;
  /** Attention heads per block; dModel must be divisible by it. Default 12, as GPT-2 small. */
  nHeads?: number;
  /** Blocks; default 12, as GPT-2 small. */
  nLayers?: number;
  /** Width of the MLP's hidden layer as a multiple of dModel; default 4, as GPT-2. */
  mlpRatio?: number;
  /** Dropout on attention weights and on each sublayer's output; default 0.1, as GPT-2. */
  dropout?: number;
  /** LayerNorm placement; default "pre", as GPT-2. */
  norm?: NormPlacement;
  /** Keep the skips around attention and MLP (default). false builds the plain twin. */
  residual?: boolean;
  /** Include the MLP sublayer (default). false gives attention-only blocks, as the pure self-attention networks of Dong et al. 2021. */
  mlp?: boolean;
  /** Standard deviation of the normal init of embeddings and linear weights; default 0.02, as GPT-2. */
  initStd?: number;
  /** LayerNorm epsilon; default 1e-5, as GPT-2. */
  layerNormEps?: number;
}

export interface AttentionOptions {
  /** Dropout on the attention weights and on the output; default 0. */
  dropout?: number;
}

/**
 * Multi-head causal self-attention: position t attends to positions 0..t only. Parameters are
 * laid out as PyTorch's nn.MultiheadAttention: one input projection [3·dModel, dModel] for
 * query, key and value (in that order) and an output projection [dModel, dModel].
 */
export class CausalSelfAttention extends Module {
  readonly dModel: number;
  readonly nHeads: number;
  readonly inProjection: Linear;
  readonly outProjection: Linear;
  readonly attentionDropout: Dropout;
  readonly outputDropout: Dropout;

  constructor(dModel: number, nHeads: number, { dropout = 0 }: AttentionOptions = {}) {
    super();
    if (!Number.isInteger(nHeads) || nHeads < 1 || dModel % nHeads !== 0) {
      throw new RangeError(`CausalSelfAttention: dModel (${dModel}) must be divisible by nHeads (${nHeads})`);
    }
    this.dModel = dModel;
    this.nHeads = nHeads;
    this.inProjection = this.registerModule("inProjection", new Linear(dModel, 3 * dModel));
    this.outProjection = this.registerModule("outProjection", new Linear(dModel, dModel));
    this.attentionDropout = this.registerModule("attentionDropout", new Dropout(dropout));
    this.outputDropout = this.registerModule("outputDropout", new Dropout(dropout));
  }

  forward(input: Tensor): Tensor {
    return this.forwardWithWeights(input).output;
  }

  /** Returns the output [B, T, dModel] and the attention weights [B, nHeads, T, T] (after the mask, before dropout). */
  forwardWithWeights(input: Tensor): { output: Tensor; weights: Tensor } {
    const shape = input.shape;
    if (shape.length !== 3 || shape[2] !== this.dModel) {
      throw new RangeError(`CausalSelfAttention: expected input [B, T, ${this.dModel}], got [${shape.join(", ")}]`);
    }
    const [batch, length] = shape;
    const headSize = this.dModel / this.nHeads;

    const projected = this.inProjection.forward(input); // [B, T, 3D]
    const heads = (index: number) =>
      projected
        .narrow(2, index * this.dModel, this.dModel) // [B, T, D]
        .reshape(batch, length, this.nHeads, headSize)
        .transpose(1, 2); // [B, H, T, Dh]
    const query = heads(0);
    const key = heads(1);
    const value = heads(2);

    // Scaled dot-product attention (Vaswani et al. 2017, section 3.2.1); a future position's
    // score becomes -inf, so its softmax weight is exactly 0.
    const scores = query.matmul(key.transpose(2, 3)).div(Math.sqrt(headSize)); // [B, H, T, T]
    const future = ones([length, length]).triu(1).gt(0); // [T, T], true above the diagonal
    const weights = F.softmax(scores.maskedFill(future, Number.NEGATIVE_INFINITY), 3); // [B, H, T, T]

    const mixed = this.attentionDropout.forward(weights).matmul(value); // [B, H, T, Dh]
    const merged = mixed.transpose(1, 2).reshape(batch, length, this.dModel); // [B, T, D]
    const output = this.outputDropout.forward(this.outProjection.forward(merged)); // [B, T, D]
    return { output, weights };
  }
}

/** Linear, GELU, linear: the position-wise feed-forward sublayer. */
export class TransformerMlp extends Module {
  readonly linear1: Linear;
  readonly linear2: Linear;
  readonly dropout: Dropout;

  constructor(dModel: number, hiddenSize: number, { dropout = 0 } = {}) {
    super();
    this.linear1 = this.registerModule("linear1", new Linear(dModel, hiddenSize));
    this.linear2 = this.registerModule("linear2", new Linear(hiddenSize, dModel));
    this.dropout = this.registerModule("dropout", new Dropout(dropout));
  }

  forward(input: Tensor): Tensor {
    const hidden = F.gelu(this.linear1.forward(input)); // [B, T, hidden]
    return this.dropout.forward(this.linear2.forward(hidden)); // [B, T, D]
  }
}

export interface TransformerBlockOptions {
  /** Default 4. */
  mlpRatio?: number;
  /** Default 0. */
  dropout?: number;
  /** Default "pre". */
  norm?: NormPlacement;
  /** Default true. */
  residual?: boolean;
  /** Default true. */
  mlp?: boolean;
  /** Default 1e-5. */
  layerNormEps?: number;
}

/**
 * One block. With skips, pre-LN computes x + attention(norm1(x)), then x + mlp(norm2(x)), and
 * post-LN computes norm1(x + attention(x)), then norm2(x + mlp(x)). The plain twin drops the
 * "x +" and nothing else.
 */
export class TransformerBlock extends Module {
  readonly norm: NormPlacement;
  readonly residual: boolean;
  readonly norm1: LayerNorm;
  readonly selfAttention: CausalSelfAttention;
  readonly norm2: LayerNorm | null;
  readonly mlp: TransformerMlp | null;

  constructor(dModel: number, nHeads: number, options: TransformerBlockOptions = {}) {
    super();
    const { mlpRatio = 4, dropout = 0, norm = "pre", residual = true, mlp = true, layerNormEps = 1e-5 } = options;
    if (norm !== "pre" && norm !== "post") throw new RangeError(`TransformerBlock: norm must be "pre" or "post", got ${String(norm)}`);
    this.norm = norm;
    this.residual = residual;
    this.norm1 = this.registerModule("norm1", new LayerNorm(dModel, { eps: layerNormEps }));
    this.selfAttention = this.registerModule("selfAttention", new CausalSelfAttention(dModel, nHeads, { dropout }));
    this.norm2 = mlp ? this.registerModule("norm2", new LayerNorm(dModel, { eps: layerNormEps })) : null;
    this.mlp = mlp ? this.registerModule("mlp", new TransformerMlp(dModel, Math.round(mlpRatio * dModel), { dropout })) : null;
  }

  forward(input: Tensor): Tensor {
    let x = this.sublayer(input, this.norm1, this.selfAttention); // [B, T, D]
    if (this.mlp && this.norm2) x = this.sublayer(x, this.norm2, this.mlp); // [B, T, D]
    return x;
  }

  private sublayer(input: Tensor, norm: LayerNorm, layer: Module): Tensor {
    if (this.norm === "pre") {
      const output = layer.forward(norm.forward(input));
      return this.residual ? input.add(output) : output;
    }
    const output = layer.forward(input);
    return norm.forward(this.residual ? input.add(output) : output);
  }
}

/** Decoder-only Transformer: token ids [B, T] to next-token logits [B, T, vocabSize]. */
export class Transformer extends Module {
  readonly vocabSize: number;
  readonly contextLength: number;
  readonly dModel: number;
  readonly nLayers: number;
  readonly norm: NormPlacement;
  readonly residual: boolean;
  readonly tokenEmbedding: Tensor;
  readonly positionEmbedding: Tensor;
  readonly embeddingDropout: Dropout;
  readonly blocks: Sequential;
  /** Pre-LN only: the stream leaves the last block unnormalised, so GPT-2 adds a final LayerNorm. */
  readonly finalNorm: LayerNorm | null;
  readonly head: Linear;

  constructor(options: TransformerOptions) {
    super();
    const {
      vocabSize,
      contextLength = 1024,
      dModel = 768,
      nHeads = 12,
      nLayers = 12,
      mlpRatio = 4,
      dropout = 0.1,
      norm = "pre",
      residual = true,
      mlp = true,
      initStd = 0.02,
      layerNormEps = 1e-5,
    } = options;
    checkPositiveIntegers({ vocabSize, contextLength, dModel, nHeads, nLayers });
    if (!(mlpRatio > 0)) throw new RangeError(`Transformer: mlpRatio must be positive, got ${mlpRatio}`);
    this.vocabSize = vocabSize;
    this.contextLength = contextLength;
    this.dModel = dModel;
    this.nLayers = nLayers;
    this.norm = norm;
    this.residual = residual;

    this.tokenEmbedding = this.registerParameter("tokenEmbedding", zeros([vocabSize, dModel]));
    this.positionEmbedding = this.registerParameter("positionEmbedding", zeros([contextLength, dModel]));
    this.embeddingDropout = this.registerModule("embeddingDropout", new Dropout(dropout));
    this.blocks = this.registerModule("blocks", new Sequential());
    for (let layer = 0; layer < nLayers; layer++) {
      this.blocks.append(new TransformerBlock(dModel, nHeads, { mlpRatio, dropout, norm, residual, mlp, layerNormEps }));
    }
    this.finalNorm = norm === "pre" ? this.registerModule("finalNorm", new LayerNorm(dModel, { eps: layerNormEps })) : null;
    // NOTE: GPT-2 ties the head to the token embedding; this head is separate, so a gradient
    // norm of the embedding measures the input side alone.
    this.head = this.registerModule("head", new Linear(dModel, vocabSize, { bias: false }));
    this.initialize(initStd);
  }

  /**
   * GPT-2's init: embeddings and linear weights N(0, initStd²), biases 0, and the two
   * projections that write into the residual stream (attention output, second MLP layer) scaled
   * by 1/√(2·nLayers). The plain twin gets the same init, so the skips are the only difference.
   */
  private initialize(initStd: number): void {
    const projectionStd = initStd / Math.sqrt(2 * this.nLayers);
    this.tokenEmbedding.normal_(0, initStd);
    this.positionEmbedding.normal_(0, initStd);
    for (const block of this.transformerBlocks()) {
      const linears = [block.selfAttention.inProjection, block.selfAttention.outProjection, block.mlp?.linear1, block.mlp?.linear2];
      for (const linear of linears) {
        if (!linear) continue;
        const writesToStream = linear === block.selfAttention.outProjection || linear === block.mlp?.linear2;
        linear.weight.normal_(0, writesToStream ? projectionStd : initStd);
        linear.bias?.zero_();
      }
    }
    this.head.weight.normal_(0, initStd);
  }

  transformerBlocks(): TransformerBlock[] {
    return this.blocks.modules() as TransformerBlock[];
  }

  forward(tokens: Tensor): Tensor {
    const states = this.hiddenStates(tokens);
    const last = states[states.length - 1]; // [B, T, D]
    const normalized = this.finalNorm ? this.finalNorm.forward(last) : last;
    return this.head.forward(normalized); // [B, T, vocabSize]
  }

  /**
   * Returns the residual stream: the embedding output, then each block's output, nLayers + 1
   * tensors [B, T, dModel] (before the final LayerNorm).
   */
  hiddenStates(tokens: Tensor): Tensor[] {
    const shape = tokens.shape;
    if (shape.length !== 2 || tokens.dtype !== "int64") {
      throw new RangeError(`Transformer: expected int64 token ids [B, T], got ${tokens.dtype} [${shape.join(", ")}]`);
    }
    if (shape[1] > this.contextLength) {
      throw new RangeError(`Transformer: sequence length ${shape[1]} exceeds contextLength ${this.contextLength}`);
    }

    const tokenVectors = F.embedding(this.tokenEmbedding, tokens); // [B, T, D]
    const positionVectors = this.positionEmbedding.narrow(0, 0, shape[1]); // [T, D]
    let x = this.embeddingDropout.forward(tokenVectors.add(positionVectors)); // [B, T, D]

    const states = [x];
    for (const block of this.transformerBlocks()) {
      x = block.forward(x); // [B, T, D]
      states.push(x);
    }
    return states;
  }
}

function checkPositiveIntegers(values: Record<string, number>): void {
  for (const [name, value] of Object.entries(values)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`Transformer: ${name} must be a positive integer, got ${value}`);
  }
}
