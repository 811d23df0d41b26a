// The transformer experiment's two tasks behind one interface: sorting digits (made here from a
// seed) and a character-level language model on "The Devil's Dictionary" (Debian's dict-devil).
import { characterCorpus, characterWindows, evenWindowStarts, randomWindowStarts } from "../data/character-text.js";
import { loadDevilsDictionary } from "../data/devils-dictionary.js";
import { digitSortingLayout, makeDigitSorting } from "../data/digit-sorting.js";
import type { Mulberry32 } from "../data/random.js";
import type { TokenSequences } from "../data/token-sequences.js";
import type { Tensor } from "../torch/index.js";

export const transformerTaskNames = ["sorting", "devils-dictionary"] as const;
export type TransformerTaskName = (typeof transformerTaskNames)[number];

/** Tells a Transformer task name from an image dataset name. */
export function isTransformerTaskName(name: string): name is TransformerTaskName {
  return (transformerTaskNames as readonly string[]).includes(name);
}

export interface SortingTaskOptions {
  /** Digits per sequence. */
  length: number;
  /** Distinct digit values. */
  digits: number;
  /** Validation examples, drawn once from a fixed seed. */
  validCount: number;
}

export interface TextTaskOptions {
  /** Characters per example window. */
  contextLength: number;
  /** Validation windows, spread evenly over the last 10% of the text. */
  validWindows: number;
  /** Folder with devil.dict.dz and devil.index. */
  folder: string;
}

export interface SequenceTask {
  name: TransformerTaskName;
  vocabSize: number;
  /** Input tokens per example (T). */
  sequenceLength: number;
  /** Draws a training batch; the generator alone decides which examples. */
  trainBatch(generator: Mulberry32, batchSize: number): TokenSequences;
  /** The fixed validation set. */
  valid: TokenSequences;
  /** True when every target of an example must be right for the example to count (sorting). */
  scoresWholeSequences: boolean;
}

/** Seed of the sorting validation set; training batches take their seeds from the run's generator. */
const sortingValidationSeed = 2_147_483_647;

export function sortingTask(options: SortingTaskOptions): SequenceTask {
  const layout = digitSortingLayout(options);
  return {
    name: "sorting",
    vocabSize: layout.vocabSize,
    sequenceLength: layout.sequenceLength,
    trainBatch: (generator, batchSize) => makeDigitSorting({ ...options, count: batchSize, seed: generator.nextUint32() }),
    valid: makeDigitSorting({ ...options, count: options.validCount, seed: sortingValidationSeed }),
    scoresWholeSequences: true,
  };
}

/** Throws with the install hint when dict-devil is missing. */
export function devilsDictionaryTask(options: TextTaskOptions): SequenceTask {
  const corpus = characterCorpus(loadDevilsDictionary(options.folder), { validFraction: 0.1 });
  const { contextLength, validWindows } = options;
  return {
    name: "devils-dictionary",
    vocabSize: corpus.vocabulary.size,
    sequenceLength: contextLength,
    trainBatch: (generator, batchSize) => characterWindows(corpus.train, contextLength, randomWindowStarts(corpus.train.length, contextLength, batchSize, generator)),
    valid: characterWindows(corpus.valid, contextLength, evenWindowStarts(corpus.valid.length, contextLength, validWindows)),
    scoresWholeSequences: false,
  };
}

/** Returns the first `count` validation inputs [count, T], the sequences whose representations the rank measurement reads. */
export function probeInputs(task: SequenceTask, count: number): Tensor {
  const available = task.valid.inputs.shape[0];
  return task.valid.inputs.narrow(0, 0, Math.min(count, available));
}
