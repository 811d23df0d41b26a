// `residual-lab report` end to end: the compiled command on the fixture run folder.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { copyFixture, fixtureFiles, fixtureRunFolder, outputFolder, projectRoot } from "./report-fixture.js";

const main = path.join(projectRoot, "dist", "src", "cli", "main.js");

function runReport(args: string[]) {
  return spawnSync(process.execPath, [main, "report", ...args], { encoding: "utf8", cwd: projectRoot });
}

test("report command prints the page path", () => {
  const out = outputFolder();
  const result = runReport([fixtureRunFolder, "--out", out, "--profile", "quick"]);

  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, `${path.join(out, "index.html")}\n`);
  assert.ok(existsSync(path.join(out, "index.html")));
  assert.ok(existsSync(path.join(out, "figures", "degradation.svg")));
});

test("report command summarises sections", () => {
  const result = runReport([fixtureRunFolder, "--out", outputFolder()]);

  const lines = result.stderr.trim().split("\n");
  const labels = lines.map((line) => line.slice(0, line.indexOf(":")));
  assert.deepEqual(labels, ["Notebook experiment", "Degradation", "Gradients", "Lesion", "Loss landscape", "Shattered gradients", "Transformer", "When to use them", "Provenance"]);
  assert.match(result.stderr, /^Notebook experiment: accuracy \d+\.\d%/m);
});

test("report command rejects bad arguments", () => {
  const badProfile = runReport([fixtureRunFolder, "--profile", "medium"]);
  assert.equal(badProfile.status, 2);
  assert.equal(badProfile.stderr, "residual-lab: --profile expects one of quick, full, got 'medium'\n");

  const twoFolders = runReport(["a", "b"]);
  assert.equal(twoFolders.status, 2);
  assert.match(twoFolders.stderr, /report: expected at most one run folder, got 2/);
});

test("report command fails on unreadable results", () => {
  const runs = copyFixture();
  writeFileSync(path.join(runs, fixtureFiles.degradation), "{not json");
  const out = outputFolder();

  const result = runReport([runs, "--out", out]);

  assert.equal(result.status, 1);
  assert.ok(existsSync(path.join(out, "index.html")));
  assert.match(result.stderr, /residual-lab: report: could not read the result of Degradation; the page marks them\n$/);
});

test("report command rejects files for folders", () => {
  const file = path.join(projectRoot, "package.json");

  const fileAsRuns = runReport([file]);
  assert.equal(fileAsRuns.status, 2);
  assert.equal(fileAsRuns.stderr, `residual-lab: report: ${file} is not a folder; give the folder that holds the runs\n`);

  const fileAsOut = runReport([fixtureRunFolder, "--out", file]);
  assert.equal(fileAsOut.status, 2);
  assert.equal(fileAsOut.stderr, `residual-lab: report: --out ${file} is not a folder; give a folder for the page and its figures\n`);
});

test("report command help names its options", () => {
  const result = runReport(["--help"]);

  assert.equal(result.status, 0);
  assert.match(result.stdout, /--profile NAME/);
  assert.match(result.stdout, /--out DIR/);
});
