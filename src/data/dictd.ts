// Reader for dictd databases, as the dictd(8) manual's "DATABASE FORMAT" section describes them.
// A database is a flat text file of entries, plain (.dict) or dictzip-compressed (.dict.dz, which
// gzip can also read), and an index of lines "headword<TAB>offset<TAB>length". Offset and length
// count bytes and are written in base 64.
import { existsSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** One index line: where a headword's entry lies in the text, in bytes. */
export interface DictdIndexEntry {
  headword: string;
  offset: number;
  length: number;
}

export interface DictdEntry extends DictdIndexEntry {
  text: string;
}

const base64Digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Decodes dictd's base-64 number: most significant digit first, digits in base64Digits order. */
export function decodeDictdNumber(encoded: string): number {
  if (encoded.length === 0) throw new RangeError("dictd: empty base-64 number");
  let value = 0;
  for (const character of encoded) {
    const digit = base64Digits.indexOf(character);
    if (digit < 0) throw new RangeError(`dictd: invalid base-64 digit '${character}' in '${encoded}'`);
    value = value * 64 + digit;
  }
  return value;
}

/** Parses an index file's text; `name` labels error messages. */
export function parseDictdIndex(text: string, name = "index"): DictdIndexEntry[] {
  const entries: DictdIndexEntry[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === "") continue;
    const fields = line.split("\t");
    if (fields.length < 3) throw new RangeError(`${name}: line ${i + 1}: expected headword, offset and length separated by tabs, got '${line}'`);
    entries.push({ headword: fields[0], offset: decodeDictdNumber(fields[1]), length: decodeDictdNumber(fields[2]) });
  }
  return entries;
}

/** Reads a .dict or .dict.dz file into its bytes. */
export function readDictdText(dictPath: string): Buffer {
  if (!existsSync(dictPath)) throw new Error(`${dictPath}: dictd database not found`);
  const bytes = readFileSync(dictPath);
  const isGzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  return isGzip ? gunzipSync(bytes) : bytes;
}

/** Reads every entry of a database, in index order. Throws when an entry lies past the end of the text. */
export function readDictdDatabase(dictPath: string, indexPath: string): DictdEntry[] {
  if (!existsSync(indexPath)) throw new Error(`${indexPath}: dictd index not found`);
  const text = readDictdText(dictPath);
  const index = parseDictdIndex(readFileSync(indexPath, "utf8"), indexPath);

  return index.map((entry) => {
    if (entry.offset + entry.length > text.length) {
      throw new RangeError(`${indexPath}: entry '${entry.headword}' ends at byte ${entry.offset + entry.length}, past the ${text.length} bytes of ${dictPath}`);
    }
    return { ...entry, text: text.subarray(entry.offset, entry.offset + entry.length).toString("utf8") };
  });
}

/**
 * Joins a database's entries in text order into one document, each entry once (several
 * headwords can share an entry), leaving out dictfmt's metadata entries ("00-database-...",
 * indexed under headwords that start with "00database" or "00-database").
 */
export function dictdDocument(entries: readonly DictdEntry[]): string {
  const content = entries.filter((entry) => !/^00-?database/.test(entry.headword));
  const byOffset = new Map<number, DictdEntry>();
  for (const entry of content) if (!byOffset.has(entry.offset)) byOffset.set(entry.offset, entry);
  return [...byOffset.values()]
    .sort((a, b) => a.offset - b.offset)
    .map((entry) => entry.text)
    .join("");
}
