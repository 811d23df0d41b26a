import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { buildReport, writeReport } from "../../src/report/index.js";
import { copyFixture, fixtureFiles, fixtureRunFolder, outputFolder, readJson, sectionHtml, writeJson, type Json } from "./report-fixture.js";

const sectionIds = ["residual-connections", "notebook-experiment", "verdicts", "degradation", "gradients", "lesion", "landscape", "shattered", "transformer", "when-to-use", "provenance"];

/** Renders a spread as the page does: mean and std to the decimals of the mean's three significant digits. */
function spreadText(value: Json): string {
  const magnitude = Math.abs(value.mean);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e4)) return `${value.mean.toExponential(2)} ± ${value.std.toExponential(1)}`;
  const decimals = magnitude === 0 ? 3 : Math.min(6, Math.max(0, 2 - Math.floor(Math.log10(magnitude))));
  return `${value.mean.toFixed(decimals)} ± ${value.std.toFixed(decimals)}`;
}

function percentText(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

test("report builds from fixture runs", async () => {
  const out = outputFolder();
  const report = await writeReport(fixtureRunFolder, out, { profile: "quick" });

  assert.equal(report.indexFile, path.join(out, "index.html"));
  const page = readFileSync(report.indexFile, "utf8");
  assert.ok(page.startsWith("<!doctype html>"));
  assert.ok(report.figureFiles.length >= 15, `expected a figure file per figure, got ${report.figureFiles.length}`);
  for (const file of report.figureFiles) {
    const svg = readFileSync(file, "utf8");
    assert.ok(svg.startsWith(`<?xml version="1.0" encoding="UTF-8"?>\n<svg`), `${file} is not an SVG document`);
    assert.ok(page.includes(svg.slice(svg.indexOf("<svg"), svg.indexOf("<svg") + 200).trim()), `${file} is not inlined in the page`);
  }
});

test("page is self-contained", async () => {
  const { html } = await buildReport(fixtureRunFolder);

  assert.equal(/<script/i.test(html), false);
  assert.equal(/<link\b/i.test(html), false);
  assert.equal(/\bsrc=/i.test(html), false);
  assert.equal(/(?:href|url\()\s*=?\s*["']?(?:https?:)?\/\//i.test(html), false);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;/);
});

test("each section appears with its results", async () => {
  const { html, sections } = await buildReport(fixtureRunFolder);

  assert.deepEqual(
    sections.map((section) => section.id),
    sectionIds,
  );
  for (const section of sections) {
    assert.equal(section.status, "ok", `section ${section.id}: ${section.summary}`);
    assert.ok(html.includes(`<section id="${section.id}">`), `no section ${section.id}`);
    assert.ok(section.summary.length > 0, `section ${section.id} has no summary`);
  }
  assert.equal(html.includes("Not run."), false);
  for (const name of ["resnet-block", "transformer-block", "seed-recipe-losses", "confusion-matrix", "hardest-digits", "degradation", "gradient-norms", "response-std", "lesion-single-block", "lesion-random-blocks", "landscape-1d", "landscape-2d", "shattered-autocorrelation", "shattered-lag-1", "transformer-rank-collapse"]) {
    assert.ok(html.includes(`<figure id="figure-${name}"`), `no figure ${name}`);
  }
});

test("missing experiment gives its not-run note", async () => {
  const runs = copyFixture();
  rmSync(path.join(runs, fixtureFiles.lesion));
  rmSync(path.join(runs, fixtureFiles.seedRecipe));

  const { html, sections } = await buildReport(runs);

  const lesion = sections.find((section) => section.id === "lesion")!;
  assert.equal(lesion.status, "not run");
  assert.match(lesion.summary, /^not run \(residual-lab experiment lesion --runs /);
  const lesionHtml = sectionHtml(html, "lesion");
  assert.ok(lesionHtml.includes("<strong>Not run.</strong>"));
  assert.ok(lesionHtml.includes(`<code>residual-lab experiment lesion --runs ${runs}</code>`));
  assert.ok(lesionHtml.includes("Veit et al. 2016"), "the paper's finding stays beside the note");
  const seedHtml = sectionHtml(html, "notebook-experiment");
  assert.ok(seedHtml.includes(`<code>residual-lab start --runs ${runs}</code>`));
  assert.equal(sections.find((section) => section.id === "degradation")!.status, "ok");
});

test("empty run folder gives notes", async () => {
  const { html, sections } = await buildReport(outputFolder(), { profile: "full" });

  const notRun = sections.filter((section) => section.status === "not run").map((section) => section.id);
  assert.deepEqual(notRun, ["notebook-experiment", "degradation", "gradients", "lesion", "landscape", "shattered", "transformer", "when-to-use"]);
  assert.ok(html.includes("residual-lab experiment transformer --profile full --runs "));
  assert.ok(sectionHtml(html, "provenance").includes("No result was found"));
});

test("unreadable results give a note", async () => {
  const runs = copyFixture();
  writeFileSync(path.join(runs, fixtureFiles.gradients), "{ not json");
  const landscape = readJson(runs, fixtureFiles.landscape);
  landscape.data.runs = [{ depth: "deep" }];
  writeJson(runs, fixtureFiles.landscape, landscape);
  const shattered = readJson(runs, fixtureFiles.shattered);
  shattered.experiment = "lesion";
  writeJson(runs, fixtureFiles.shattered, shattered);

  const { html, sections } = await buildReport(runs);

  for (const id of ["gradients", "landscape", "shattered"]) {
    const section = sections.find((candidate) => candidate.id === id)!;
    assert.equal(section.status, "unreadable", `section ${id}`);
    assert.ok(sectionHtml(html, id).includes("Could not read the result"), `section ${id} has no note`);
  }
  assert.match(sections.find((section) => section.id === "shattered")!.summary, /expected "experiment": "shattered"/);
});

test("a diverged seed recipe still gets its section", async () => {
  const runs = copyFixture();
  const seedRecipe = readJson(runs, fixtureFiles.seedRecipe);
  // JSON stores the NaN losses of a diverged run as null.
  for (const row of seedRecipe.rows) {
    row.trainLoss = null;
    row.validLoss = null;
  }
  writeJson(runs, fixtureFiles.seedRecipe, seedRecipe);

  const { html, sections } = await buildReport(runs);

  assert.equal(sections.find((candidate) => candidate.id === "notebook-experiment")!.status, "ok");
  assert.ok(sectionHtml(html, "notebook-experiment").includes("<td>NaN</td>"));
});

test("a malformed seed recipe gives a note naming the file", async () => {
  const runs = copyFixture();
  const seedRecipe = readJson(runs, fixtureFiles.seedRecipe);
  seedRecipe.rows = [null];
  writeJson(runs, fixtureFiles.seedRecipe, seedRecipe);

  const { html, sections } = await buildReport(runs);

  const section = sections.find((candidate) => candidate.id === "notebook-experiment")!;
  assert.equal(section.status, "unreadable");
  assert.match(section.summary, /seed-recipe\/result\.json: its data does not have the expected shape/);
  assert.ok(sectionHtml(html, "notebook-experiment").includes("Could not read the result"));
  assert.match(sectionHtml(html, "notebook-experiment"), /rm .*seed-recipe\/result\.json &amp;&amp; residual-lab start/);
  assert.equal(sections.find((candidate) => candidate.id === "degradation")!.status, "ok");
});

test("hostile result strings are escaped", async () => {
  const runs = copyFixture();
  const script = "<script>alert(1)</script>";
  const image = `"><img src=x onerror=alert(2)>`;
  const svgTag = "<svg onload=alert(3)>";

  const degradation = readJson(runs, fixtureFiles.degradation);
  for (const run of degradation.data.runs) run.dataset = script;
  for (const finding of degradation.data.findings) finding.dataset = script;
  degradation.data.summaries = { [script]: Object.values(degradation.data.summaries)[0] };
  writeJson(runs, fixtureFiles.degradation, degradation);

  const depthSweep = readJson(runs, fixtureFiles.depthSweep);
  for (const answer of depthSweep.data.answers) answer.dataset = image;
  writeJson(runs, fixtureFiles.depthSweep, depthSweep);

  const lesion = readJson(runs, fixtureFiles.lesion);
  for (const run of lesion.data.runs) run.dataset = svgTag;
  for (const comparison of lesion.data.comparisons) comparison.dataset = svgTag;
  writeJson(runs, fixtureFiles.lesion, lesion);

  const seed = readJson(runs, fixtureFiles.seedRecipe);
  seed.classNames[3] = image;
  seed.topLosses[0].actual = script;
  seed.recipe.model = script;
  seed.provenance.cpuModel = `</style>${script}`;
  writeJson(runs, fixtureFiles.seedRecipe, seed);

  const transformer = readJson(runs, fixtureFiles.transformer);
  for (const run of transformer.data.runs) run.task = svgTag;
  for (const comparison of transformer.data.comparisons) comparison.task = svgTag;
  for (const check of transformer.data.rankCollapse) check.task = svgTag;
  writeJson(runs, fixtureFiles.transformer, transformer);

  const out = outputFolder();
  const report = await writeReport(runs, out);
  const page = readFileSync(report.indexFile, "utf8");

  for (const section of report.sections) assert.equal(section.status, "ok", `section ${section.id}: ${section.summary}`);
  assert.equal(/<script/i.test(page), false, "a script element reached the page");
  assert.equal(page.includes("<img"), false, "an img element reached the page");
  assert.equal(page.includes("<svg onload"), false, "an svg handler reached the page");
  assert.equal((page.match(/<\/style>/g) ?? []).length, 1, "a result closed the stylesheet");
  assert.ok(page.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(page.includes("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
  assert.ok(page.includes("&lt;svg onload=alert(3)&gt;"));
  for (const file of report.figureFiles) {
    const svg = readFileSync(file, "utf8");
    assert.equal(/<script|<img|<svg onload|<foreignObject/i.test(svg), false, `${file} holds active markup`);
  }
});

test("text numbers match the JSON", async () => {
  const { html } = await buildReport(fixtureRunFolder);
  const read = (file: string) => readJson(fixtureRunFolder, file);

  const seed = read(fixtureFiles.seedRecipe);
  const notebook = sectionHtml(html, "notebook-experiment");
  const last = seed.rows.at(-1);
  assert.ok(notebook.includes(`<strong>${percentText(last.metrics.accuracy)}</strong>`), "final accuracy");
  for (const row of seed.rows) {
    assert.ok(notebook.includes(`<td>${row.trainLoss.toFixed(6)}</td><td>${row.validLoss.toFixed(6)}</td>`), `table row ${row.epoch}`);
  }
  const testImages = seed.confusionMatrix.flat().reduce((total: number, count: number) => total + count, 0);
  assert.ok(notebook.includes(`of the ${testImages.toLocaleString("en-US")} test images`));

  const degradation = read(fixtureFiles.degradation);
  const degradationHtml = sectionHtml(html, "degradation");
  for (const summaries of Object.values(degradation.data.summaries) as Json[][]) {
    for (const summary of summaries) assert.ok(degradationHtml.includes(spreadText(summary.trainLoss)), `train loss of depth ${summary.depth}, residual ${summary.residual}`);
  }
  const verdicts = degradation.data.findings.flatMap((finding: Json) => [finding.plainShallowVersusDeep, finding.residualShallowVersusDeep, finding.residualVersusPlainAtDepth]);
  const inconclusive = verdicts.filter((verdict: string) => verdict === "inconclusive").length;
  assert.equal((degradationHtml.match(/verdict-inconclusive">inconclusive</g) ?? []).length, inconclusive, "one inconclusive label per inconclusive verdict");

  const gradients = read(fixtureFiles.gradients);
  const gradientsHtml = sectionHtml(html, "gradients");
  for (const comparison of gradients.data.comparisons) {
    assert.ok(gradientsHtml.includes(`residual ${spreadText(comparison.responseStd.residual)}, plain ${spreadText(comparison.responseStd.plain)}`));
    assert.ok(gradientsHtml.includes(`residual ${spreadText(comparison.gradientSpread.residual)}, plain ${spreadText(comparison.gradientSpread.plain)}`));
  }

  const lesion = read(fixtureFiles.lesion);
  const lesionHtml = sectionHtml(html, "lesion");
  for (const comparison of lesion.data.comparisons) {
    const increase = comparison.singleRemovalIncrease;
    assert.ok(lesionHtml.includes(`${percentText(increase.residual.mean)} ± ${percentText(increase.residual.std)}`));
    assert.ok(lesionHtml.includes(`chance is ${percentText(comparison.chanceError)}`));
  }

  const landscape = read(fixtureFiles.landscape);
  const landscapeHtml = sectionHtml(html, "landscape");
  for (const comparison of landscape.data.comparisons) {
    assert.ok(landscapeHtml.includes(`residual ${spreadText(comparison.nonConvexFraction.residual)}, plain ${spreadText(comparison.nonConvexFraction.plain)}`));
  }

  const shattered = read(fixtureFiles.shattered);
  const shatteredHtml = sectionHtml(html, "shattered");
  for (const comparison of shattered.data.comparisons) {
    assert.ok(shatteredHtml.includes(`depth ${comparison.depth}: residual ${spreadText(comparison.lag1.residual)}, plain ${spreadText(comparison.lag1.plain)}`));
    const label = comparison.lag1.moreCorrelated === "inconclusive" ? "inconclusive" : `${comparison.lag1.moreCorrelated} more correlated`;
    assert.ok(shatteredHtml.includes(`${spreadText(comparison.lag1.plain)}. <span class="verdict verdict-${comparison.lag1.moreCorrelated}">${label}</span>`), `verdict at depth ${comparison.depth}`);
  }

  const transformer = read(fixtureFiles.transformer);
  const transformerHtml = sectionHtml(html, "transformer");
  for (const comparison of transformer.data.comparisons) {
    assert.ok(transformerHtml.includes(`<td>${spreadText(comparison.finalLoss.residual)}</td><td>${spreadText(comparison.finalLoss.plain)}</td>`), `final loss at ${comparison.depth} blocks`);
  }

  const depthSweep = read(fixtureFiles.depthSweep);
  const whenHtml = sectionHtml(html, "when-to-use");
  for (const answer of depthSweep.data.answers) {
    for (const gap of answer.gaps) assert.ok(whenHtml.includes(`<td>${Number(gap.gap.toPrecision(3))}</td>`), `gap at depth ${gap.depth}`);
  }

  const provenanceHtml = sectionHtml(html, "provenance");
  assert.ok(provenanceHtml.includes(degradation.provenance.cpuModel));
  assert.ok(provenanceHtml.includes(degradation.provenance.node));
  assert.ok(provenanceHtml.includes(degradation.provenance.libtorchVersion));
  assert.ok(provenanceHtml.includes(degradation.provenance.cpuFeatures.join(", ")));
});

test("writeReport replaces earlier figures", async () => {
  const out = outputFolder();
  await writeReport(fixtureRunFolder, out);
  const stale = path.join(out, "figures", "stale.svg");
  writeFileSync(stale, "<svg/>");

  const runs = copyFixture();
  rmSync(path.join(runs, fixtureFiles.landscape));
  const report = await writeReport(runs, out);

  assert.equal(existsSync(stale), false);
  assert.equal(existsSync(path.join(out, "figures", "landscape-1d.svg")), false);
  assert.ok(report.figureFiles.every((file) => existsSync(file)));
});

test("provenance shows the run's own threads", async () => {
  const runs = copyFixture();
  const transformer = readJson(runs, fixtureFiles.transformer);
  transformer.config.threads = 7;
  transformer.provenance.blasLibrary = "/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3";
  writeJson(runs, fixtureFiles.transformer, transformer);
  const degradation = readJson(runs, fixtureFiles.degradation);

  const { html } = await buildReport(runs);
  const provenanceHtml = sectionHtml(html, "provenance");

  assert.ok(provenanceHtml.includes(`<td>transformer</td><td>quick</td><td>0, 1</td><td>7</td>`));
  assert.ok(provenanceHtml.includes(`<td>degradation</td><td>quick</td><td>0, 1</td><td>${degradation.provenance.threads}</td>`));
  assert.ok(provenanceHtml.includes("<th>BLAS</th><td>/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3</td>"));
});

test("provenance shows the time of each result's parts", async () => {
  const runs = copyFixture();
  const degradation = readJson(runs, fixtureFiles.degradation);
  degradation.partSeconds = 23_257;
  writeJson(runs, fixtureFiles.degradation, degradation);

  const { html } = await buildReport(runs);

  const provenanceHtml = sectionHtml(html, "provenance");
  assert.ok(provenanceHtml.includes("<th>time of its parts</th>"));
  assert.ok(provenanceHtml.includes("<td>6 h 28 min</td>"), "the degradation row's part time");
  assert.ok(provenanceHtml.includes("<td>n/a</td>"), "results written before parts were tallied");
});
