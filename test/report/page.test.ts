// Opens the written report in headless Chromium (Debian's chromium, driven by playwright-core):
// no console errors, no request beyond the page's own file, every figure drawn, and a screenshot
// and a PDF print under test-output/report/ for a person to look at.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { writeReport } from "../../src/report/index.js";
import { copyFixture, fixtureFiles, fixtureRunFolder, projectRoot, readJson, writeJson } from "./report-fixture.js";

const chromiumPath = "/usr/bin/chromium";
const skip = existsSync(chromiumPath) ? false : `Chromium not found at ${chromiumPath}: install Debian's chromium package to run the browser test`;
const outputRoot = path.join(projectRoot, "test-output", "report");

/** Chromium headless, without network features and with a fresh profile that is removed afterwards. */
async function launch(width: number): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), "residual-lab-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    offline: true,
    viewport: { width, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

interface PageLog {
  errors: string[];
  requests: string[];
  dialogs: string[];
}

/** Opens a file and records console errors, page errors, requests and dialogs. */
async function open(context: BrowserContext, file: string) {
  const page = await context.newPage();
  const log: PageLog = { errors: [], requests: [], dialogs: [] };
  page.on("console", (message) => {
    if (message.type() === "error") log.errors.push(message.text());
  });
  page.on("pageerror", (error) => log.errors.push(error.message));
  page.on("request", (request) => log.requests.push(request.url()));
  page.on("dialog", (dialog) => {
    log.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return { page, log };
}

test("report opens cleanly in Chromium", { skip, timeout: 180_000 }, async () => {
  const out = path.join(outputRoot, "fixture");
  rmSync(out, { recursive: true, force: true });
  const report = await writeReport(fixtureRunFolder, out);
  const browser = await launch(1280);
  try {
    const { page, log } = await open(browser.context, report.indexFile);

    assert.deepEqual(log.errors, []);
    assert.deepEqual(log.requests, [pathToFileURL(report.indexFile).href]);
    assert.equal(await page.title(), "Why residual connections? A residual-lab report");
    assert.equal(await page.evaluate(() => document.scripts.length), 0);
    assert.equal(await page.locator("main > section").count(), report.sections.length + 1);
    const figureCount = report.sections.reduce((total, section) => total + section.figures.length, 0);
    const drawn = await page.evaluate(() => [...document.querySelectorAll("figure > svg")].filter((svg) => svg.getBoundingClientRect().width > 100).length);
    assert.equal(drawn, figureCount);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px at 1280 px`);

    mkdirSync(outputRoot, { recursive: true });
    const screenshot = path.join(outputRoot, "report-desktop.png");
    await page.screenshot({ path: screenshot, fullPage: true });
    assert.ok(statSync(screenshot).size > 10_000);

    await page.emulateMedia({ media: "print" });
    const pdf = path.join(outputRoot, "report.pdf");
    await page.pdf({ path: pdf, format: "A4", printBackground: true });
    assert.ok(statSync(pdf).size > 10_000);
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.screenshot({ path: path.join(outputRoot, "report-print.png"), fullPage: true });
    const printOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(printOverflow <= 0, `the print layout is ${printOverflow} px wider than A4`);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});

test("hostile strings stay inert in Chromium", { skip, timeout: 180_000 }, async () => {
  const runs = copyFixture();
  const degradation = readJson(runs, fixtureFiles.degradation);
  for (const run of degradation.data.runs) run.dataset = "<script>alert(1)</script>";
  for (const finding of degradation.data.findings) finding.dataset = `"><img src=x onerror=alert(2)>`;
  writeJson(runs, fixtureFiles.degradation, degradation);
  const seed = readJson(runs, fixtureFiles.seedRecipe);
  seed.classNames[0] = "<svg onload=alert(3)>";
  seed.provenance.cpuModel = "</style><script>alert(4)</script>";
  writeJson(runs, fixtureFiles.seedRecipe, seed);

  const report = await writeReport(runs, path.join(runs, "report"));
  const browser = await launch(1280);
  try {
    const { page, log } = await open(browser.context, report.indexFile);

    assert.deepEqual(log.dialogs, []);
    assert.deepEqual(log.errors, []);
    assert.deepEqual(log.requests, [pathToFileURL(report.indexFile).href]);
    assert.equal(await page.evaluate(() => document.querySelectorAll("script, img, iframe, object, embed").length), 0);
  } finally {
    await browser.close();
  }
});
