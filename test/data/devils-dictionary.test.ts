import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultDevilsDictionaryFolder, hasDevilsDictionary, loadDevilsDictionary } from "../../src/data/devils-dictionary.js";

const missing = hasDevilsDictionary() ? false : `${defaultDevilsDictionaryFolder}/devil.dict.dz not installed (apt-get install dict-devil)`;

test("devil's dictionary runs from ABASEMENT to ZOOLOGY", { skip: missing }, () => {
  const text = loadDevilsDictionary();
  assert.ok(text.startsWith("ABASEMENT, n."), text.slice(0, 40));
  assert.ok(text.trimEnd().endsWith("sheds its horn every two years."), text.slice(-60));
  assert.ok(text.length > 300_000, `only ${text.length} characters`);
  assert.ok(!text.includes("00-database"), "metadata entry left in the text");
  assert.ok(!text.includes("Internet Wiretap"), "edition header left in the text");
});

test("devil's dictionary missing folder", () => {
  assert.throws(() => loadDevilsDictionary("/nonexistent"), /install Debian's dict-devil package/);
});
