import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { gzipSync } from "node:zlib";
import { decodeDictdNumber, dictdDocument, parseDictdIndex, readDictdDatabase } from "../../src/data/dictd.js";

const folder = mkdtempSync(path.join(os.tmpdir(), "dictd-test-"));
after(() => rmSync(folder, { recursive: true, force: true }));

const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Encodes a number in dictd's base 64, most significant digit first. */
function encode(value: number): string {
  let text = "";
  do {
    text = digits[value % 64] + text;
    value = Math.floor(value / 64);
  } while (value > 0);
  return text;
}

/** Writes a small database: a metadata entry, two entries, and an alias sharing the second entry. */
function writeDatabase(name: string, compress: boolean): { dictPath: string; indexPath: string } {
  const metadata = "00-database-short\n     A test\n";
  const apple = "APPLE, n.  A fruit.\n\n";
  const zebra = "ZEBRA, n.  A striped horse.\n\n";
  const text = metadata + apple + zebra;
  const entries = [
    ["00databaseshort", 0, metadata.length],
    ["apple", metadata.length, apple.length],
    ["zebra", metadata.length + apple.length, zebra.length],
    ["zebras", metadata.length + apple.length, zebra.length],
  ] as const;

  const dictPath = path.join(folder, compress ? `${name}.dict.dz` : `${name}.dict`);
  const indexPath = path.join(folder, `${name}.index`);
  writeFileSync(dictPath, compress ? gzipSync(text) : text);
  writeFileSync(indexPath, entries.map(([headword, offset, length]) => `${headword}\t${encode(offset)}\t${encode(length)}\n`).join(""));
  return { dictPath, indexPath };
}

test("dictd numbers decode base 64", () => {
  assert.equal(decodeDictdNumber("A"), 0);
  assert.equal(decodeDictdNumber("/"), 63);
  assert.equal(decodeDictdNumber("BA"), 64);
  assert.equal(decodeDictdNumber("uA"), 46 * 64);
  assert.equal(decodeDictdNumber(encode(383_628)), 383_628);
  assert.throws(() => decodeDictdNumber("A*"), /invalid base-64 digit '\*' in 'A\*'/);
  assert.throws(() => decodeDictdNumber(""), /empty base-64 number/);
});

test("dictd index lines parse", () => {
  const entries = parseDictdIndex("apple\tB\tC\nzebra\tBA\tK\n");
  assert.deepEqual(entries, [
    { headword: "apple", offset: 1, length: 2 },
    { headword: "zebra", offset: 64, length: 10 },
  ]);
  assert.throws(() => parseDictdIndex("apple\tB\n", "test.index"), /test.index: line 1: expected headword, offset and length/);
});

for (const compress of [false, true]) {
  test(`dictd database reads ${compress ? "gzip" : "plain"} text`, () => {
    const { dictPath, indexPath } = writeDatabase(compress ? "compressed" : "plain", compress);
    const entries = readDictdDatabase(dictPath, indexPath);
    assert.equal(entries.length, 4);
    assert.equal(entries[1].headword, "apple");
    assert.equal(entries[1].text, "APPLE, n.  A fruit.\n\n");
    assert.equal(entries[3].text, entries[2].text);
  });
}

test("dictd document drops metadata and aliases", () => {
  const { dictPath, indexPath } = writeDatabase("document", true);
  const document = dictdDocument(readDictdDatabase(dictPath, indexPath));
  assert.equal(document, "APPLE, n.  A fruit.\n\nZEBRA, n.  A striped horse.\n\n");
});

test("dictd entry past the end is rejected", () => {
  const dictPath = path.join(folder, "short.dict");
  const indexPath = path.join(folder, "short.index");
  writeFileSync(dictPath, "tiny");
  writeFileSync(indexPath, "word\tA\tK\n");
  assert.throws(() => readDictdDatabase(dictPath, indexPath), /entry 'word' ends at byte 10, past the 4 bytes/);
  assert.throws(() => readDictdDatabase(path.join(folder, "missing.dict"), indexPath), /dictd database not found/);
  assert.throws(() => readDictdDatabase(dictPath, path.join(folder, "missing.index")), /dictd index not found/);
});
