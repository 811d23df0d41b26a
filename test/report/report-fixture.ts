// Locates the report's fixture run folder (test/fixtures/report-run) and copies it, so that a test
// can remove or rewrite result files without touching the committed ones.
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

function findProjectRoot(): string {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(folder, "package.json"))) {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error(`report fixture: no package.json above ${fileURLToPath(import.meta.url)}`);
    folder = parent;
  }
  return folder;
}

export const projectRoot = findProjectRoot();
export const fixtureRunFolder = path.join(projectRoot, "test", "fixtures", "report-run");

/** The result files of the fixture, relative to its root. */
export const fixtureFiles = {
  seedRecipe: "seed-recipe/result.json",
  degradation: "quick/degradation/result.json",
  depthSweep: "quick/depth-sweep/result.json",
  gradients: "quick/gradients/result.json",
  lesion: "quick/lesion/result.json",
  landscape: "quick/landscape/result.json",
  shattered: "quick/shattered/result.json",
  transformer: "quick/transformer/result.json",
} as const;

/** A fresh copy of the fixture run folder in a temporary folder. */
export function copyFixture(): string {
  const target = mkdtempSync(path.join(os.tmpdir(), "residual-lab-report-run-"));
  cpSync(fixtureRunFolder, target, { recursive: true });
  return target;
}

// The fixture's JSON is read as plain data: each test states the fields it relies on.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export function readJson(folder: string, file: string): Json {
  return JSON.parse(readFileSync(path.join(folder, file), "utf8"));
}

export function writeJson(folder: string, file: string, value: unknown): void {
  writeFileSync(path.join(folder, file), JSON.stringify(value));
}

/** Makes a fresh empty folder for a report's output. */
export function outputFolder(): string {
  return mkdtempSync(path.join(os.tmpdir(), "residual-lab-report-out-"));
}

/** Cuts one section's HTML out of the page, from its opening tag to its closing one. */
export function sectionHtml(page: string, id: string): string {
  const start = page.indexOf(`<section id="${id}">`);
  if (start < 0) return "";
  const end = page.indexOf("</section>", start);
  return page.slice(start, end);
}
