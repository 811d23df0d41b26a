// Provenance names the BLAS that the dynamic loader mapped, since matrix products depend on it.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { provenance } from "../../src/torch/provenance.js";

test("provenance names the BLAS library in use", () => {
  const facts = provenance();
  if (facts.blasLibrary !== "inside libtorch" && facts.blasLibrary !== "unknown") {
    assert.ok(existsSync(facts.blasLibrary), facts.blasLibrary);
  }

  // Setup installs OpenBLAS beside Debian's libtorch, and the loader should then pick it.
  const openBlas = "/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3";
  if (facts.libtorchSource.startsWith("debian") && existsSync(openBlas)) assert.equal(path.dirname(facts.blasLibrary), path.dirname(openBlas));
});
