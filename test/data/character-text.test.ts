import assert from "node:assert/strict";
import { test } from "node:test";
import { CharacterVocabulary, characterCorpus, characterWindows, evenWindowStarts, randomWindowStarts } from "../../src/data/character-text.js";
import { Mulberry32 } from "../../src/data/random.js";

test("vocabulary sorts characters and round-trips", () => {
  const vocabulary = CharacterVocabulary.fromText("hello, world");
  assert.deepEqual(vocabulary.characters, [" ", ",", "d", "e", "h", "l", "o", "r", "w"]);
  assert.equal(vocabulary.size, 9);
  assert.deepEqual(Array.from(vocabulary.encode("hold")), [4, 6, 5, 2]);
  assert.equal(vocabulary.decode(vocabulary.encode("world, hello")), "world, hello");
  assert.throws(() => vocabulary.encode("hex"), /character "x" at index 2 is not in the vocabulary/);
  assert.throws(() => vocabulary.decode([9]), /id 9 is outside \[0, 9\)/);
});

test("corpus splits at the end", () => {
  const text = "abcdefghij".repeat(10);
  const corpus = characterCorpus(text, { validFraction: 0.2 });
  assert.equal(corpus.train.length, 80);
  assert.equal(corpus.valid.length, 20);
  assert.equal(corpus.vocabulary.decode(corpus.valid), text.slice(80));
  assert.throws(() => characterCorpus(text, { validFraction: 1 }), /validFraction must be in \(0, 1\), got 1/);
});

test("windows shift targets by one", () => {
  const ids = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const { inputs, targets } = characterWindows(ids, 4, [0, 5]);
  assert.deepEqual(inputs.shape, [2, 4]);
  assert.deepEqual(inputs.toNumbers(), [0, 1, 2, 3, 5, 6, 7, 8]);
  assert.deepEqual(targets.toNumbers(), [1, 2, 3, 4, 6, 7, 8, 9]);
  assert.throws(() => characterWindows(ids, 4, [6]), /start 6 is outside \[0, 5\]/);
});

test("window starts stay in range", () => {
  const starts = randomWindowStarts(100, 10, 500, new Mulberry32(1));
  assert.ok(starts.every((start) => Number.isInteger(start) && start >= 0 && start <= 89));
  assert.ok(starts.includes(0));
  assert.ok(starts.includes(89));

  const even = evenWindowStarts(100, 10, 3);
  assert.deepEqual(even, [0, 30, 60]);
  assert.throws(() => evenWindowStarts(10, 10, 3), /10 ids are too few for a window of 10/);
});
