// Ambrose Bierce's "The Devil's Dictionary" (1911, public domain) as one plain text, read from
// Debian's dict-devil package, which installs it as a dictd database (about 380 kB of text).
import { existsSync } from "node:fs";
import path from "node:path";
import { dictdDocument, readDictdDatabase } from "./dictd.js";

/** Install folder of Debian's dict-devil package. */
export const defaultDevilsDictionaryFolder = "/usr/share/dictd";

const dictFileName = "devil.dict.dz";
const indexFileName = "devil.index";

/** True when the folder has dict-devil's database files. */
export function hasDevilsDictionary(folder = defaultDevilsDictionaryFolder): boolean {
  return existsSync(path.join(folder, dictFileName)) && existsSync(path.join(folder, indexFileName));
}

/**
 * Returns the book's entries from ABASEMENT to ZOOLOGY in order, without dictfmt's metadata
 * entries. The Internet Wiretap edition's header and the preface sit in a metadata entry
 * ("00-database-info") and are left out too.
 */
export function loadDevilsDictionary(folder = defaultDevilsDictionaryFolder): string {
  if (!hasDevilsDictionary(folder)) {
    throw new Error(`${folder}: ${dictFileName} and ${indexFileName} not found: install Debian's dict-devil package (apt-get install dict-devil) or pass the folder that has them`);
  }
  const entries = readDictdDatabase(path.join(folder, dictFileName), path.join(folder, indexFileName));
  return dictdDocument(entries);
}
