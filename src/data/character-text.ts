// Character-level language-model data: a text becomes one token id per character, split into a
// training and a validation part, and windows of it become next-character examples.
import { Mulberry32 } from "./random.js";
import { tokenTensor, type TokenSequences } from "./token-sequences.js";

/** The characters of a text, sorted by code point; a character's id is its index. */
export class CharacterVocabulary {
  readonly characters: readonly string[];
  private readonly ids: Map<string, number>;

  constructor(characters: Iterable<string>) {
    this.characters = [...new Set(characters)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    this.ids = new Map(this.characters.map((character, id) => [character, id]));
  }

  /** The vocabulary of every character in `text`. */
  static fromText(text: string): CharacterVocabulary {
    return new CharacterVocabulary(text);
  }

  get size(): number {
    return this.characters.length;
  }

  /** Maps each character (code point) to its id; throws on a character outside the vocabulary. */
  encode(text: string): Int32Array {
    const characters = [...text];
    const ids = new Int32Array(characters.length);
    for (let i = 0; i < characters.length; i++) {
      const id = this.ids.get(characters[i]);
      if (id === undefined) throw new RangeError(`CharacterVocabulary: character ${JSON.stringify(characters[i])} at index ${i} is not in the vocabulary`);
      ids[i] = id;
    }
    return ids;
  }

  decode(ids: ArrayLike<number>): string {
    let text = "";
    for (let i = 0; i < ids.length; i++) {
      const character = this.characters[ids[i]];
      if (character === undefined) throw new RangeError(`CharacterVocabulary: id ${ids[i]} is outside [0, ${this.size})`);
      text += character;
    }
    return text;
  }
}

/** A text as token ids, split into a training part (the start) and a validation part (the end). */
export interface CharacterCorpus {
  vocabulary: CharacterVocabulary;
  train: Int32Array;
  valid: Int32Array;
}

/**
 * Encodes `text` with the vocabulary of the whole text and splits it: the last `validFraction`
 * of the characters (default 0.1) are the validation part. A contiguous split keeps the
 * validation text unseen, which random windows from one pool would not.
 */
export function characterCorpus(text: string, { validFraction = 0.1 } = {}): CharacterCorpus {
  if (!(validFraction > 0 && validFraction < 1)) throw new RangeError(`characterCorpus: validFraction must be in (0, 1), got ${validFraction}`);
  const vocabulary = CharacterVocabulary.fromText(text);
  const ids = vocabulary.encode(text);
  const trainLength = Math.round(ids.length * (1 - validFraction));
  return { vocabulary, train: ids.subarray(0, trainLength), valid: ids.subarray(trainLength) };
}

/**
 * Next-character examples from windows of `ids`: the example starting at s has inputs
 * ids[s .. s+T) and targets ids[s+1 .. s+T+1).
 */
export function characterWindows(ids: Int32Array, windowLength: number, starts: readonly number[]): TokenSequences {
  if (!Number.isInteger(windowLength) || windowLength < 1) throw new RangeError(`characterWindows: windowLength must be a positive integer, got ${windowLength}`);
  const lastStart = ids.length - windowLength - 1;
  const inputs = new Int32Array(starts.length * windowLength);
  const targets = new Int32Array(starts.length * windowLength);

  starts.forEach((start, row) => {
    if (!Number.isInteger(start) || start < 0 || start > lastStart) {
      throw new RangeError(`characterWindows: start ${start} is outside [0, ${lastStart}] for ${ids.length} ids and windows of ${windowLength}`);
    }
    inputs.set(ids.subarray(start, start + windowLength), row * windowLength);
    targets.set(ids.subarray(start + 1, start + windowLength + 1), row * windowLength);
  });

  return {
    inputs: tokenTensor(inputs, starts.length, windowLength),
    targets: tokenTensor(targets, starts.length, windowLength),
  };
}

/** Draws `count` window starts uniformly from the valid range for windows of `windowLength`. */
export function randomWindowStarts(idCount: number, windowLength: number, count: number, generator: Mulberry32): number[] {
  const startCount = idCount - windowLength;
  if (startCount < 1) throw new RangeError(`randomWindowStarts: ${idCount} ids are too few for a window of ${windowLength} and its next character`);
  return Array.from({ length: count }, () => generator.nextInt(startCount));
}

/** `count` window starts spread evenly over the valid range, for a fixed evaluation set. */
export function evenWindowStarts(idCount: number, windowLength: number, count: number): number[] {
  const startCount = idCount - windowLength;
  if (startCount < 1) throw new RangeError(`evenWindowStarts: ${idCount} ids are too few for a window of ${windowLength} and its next character`);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`evenWindowStarts: count must be a positive integer, got ${count}`);
  const step = startCount / count;
  return Array.from({ length: count }, (_, i) => Math.floor(i * step));
}
