// Builds the report from a run folder: reads every result, renders each section (or its "not run"
// note), assembles the page and writes index.html with one SVG file per figure.
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Profile } from "../experiments/experiment.js";
import { degradationPaper, degradationSection } from "./degradation-section.js";
import { depthSweepSection } from "./depth-sweep-section.js";
import { gradientsPaper, gradientsSection } from "./gradients-section.js";
import { html, type SafeHtml } from "./html.js";
import { introductionSection } from "./introduction-section.js";
import { landscapePaper, landscapeSection } from "./landscape-section.js";
import { lesionPaper, lesionSection } from "./lesion-section.js";
import { renderPage } from "./page.js";
import { provenanceSection } from "./provenance-section.js";
import { readRunResults, type Loaded, type RunResults } from "./run-results.js";
import { absentResult, displayPath, experimentCommand, findings, type Section, type SectionContent } from "./section.js";
import { seedRecipeSection } from "./seed-recipe-section.js";
import { shatteredPaper, shatteredSection } from "./shattered-section.js";
import { transformerPaper, transformerSection } from "./transformer-section.js";
import { verdictRuleSection } from "./verdict-rule-section.js";

export interface ReportOptions {
  /** The profile whose experiment results are read (RUNS/PROFILE/NAME/result.json). Default "quick", the profile `npm start` runs. */
  profile?: Profile;
  /** The time the page states it was written; default now. */
  generatedAt?: Date;
}

export interface BuiltReport {
  /** The whole index.html. */
  html: string;
  sections: Section[];
}

export interface WrittenReport extends BuiltReport {
  indexFile: string;
  figureFiles: string[];
}

interface ExperimentSectionSpec<T> {
  id: string;
  title: string;
  label: string;
  /** The experiment's name on the command line. */
  experiment: string;
  /** The question the section answers, shown when there is no result. */
  question: string;
  paper: SafeHtml;
  loaded: Loaded<T>;
  render: (result: T) => Promise<SectionContent> | SectionContent;
}

/**
 * Renders an experiment's section, or its note when the result is absent. A result whose shape
 * this page does not expect (a file from another version) gives a note with the error in place
 * of the section, so one odd file never stops the page from being written.
 */
async function experimentSection<T>(spec: ExperimentSectionSpec<T>, results: RunResults): Promise<Section> {
  const { id, title, label, loaded } = spec;
  const command = experimentCommand(spec.experiment, results.profile, results.runsFolder);
  if (loaded.status !== "present") {
    const body = html`<p>${spec.question}</p>${absentResult(loaded, results.runsFolder, command)}${findings(html`<p>No result yet.</p>`, spec.paper)}`;
    const summary = loaded.status === "missing" ? `not run (${command})` : `unreadable: ${displayPath(loaded.file)}: ${loaded.reason}`;
    return { id, title, label, body, figures: [], status: loaded.status === "missing" ? "not run" : "unreadable", summary };
  }
  try {
    return { id, title, label, ...(await spec.render(loaded.value)) };
  } catch (error) {
    const reason = `${(error as Error).message}`;
    const unreadable = { status: "unreadable" as const, file: loaded.file, reason: `its data does not have the expected shape (${reason})` };
    const body = html`<p>${spec.question}</p>${absentResult(unreadable, results.runsFolder, command)}${findings(html`<p>No usable result.</p>`, spec.paper)}`;
    return { id, title, label, body, figures: [], status: "unreadable", summary: `unreadable: ${displayPath(loaded.file)}: ${reason}` };
  }
}

/** Reads the run folder and renders the page in memory. */
export async function buildReport(runsFolder: string, options: ReportOptions = {}): Promise<BuiltReport> {
  const profile = options.profile ?? "quick";
  const generatedAt = options.generatedAt ?? new Date();
  const results = readRunResults(runsFolder, profile);

  const sections: Section[] = [introductionSection(), await seedRecipeSection(results.seedRecipe, results.runsFolder), verdictRuleSection()];
  sections.push(
    await experimentSection(
      { id: "degradation", label: "Degradation", title: "Degradation: do deeper plain nets train worse?", experiment: "degradation", question: "Does a deeper plain net train worse, while a deeper residual net does not?", paper: degradationPaper, loaded: results.degradation, render: degradationSection },
      results,
    ),
    await experimentSection(
      { id: "gradients", label: "Gradients", title: "Gradients and layer responses through depth", experiment: "gradients", question: "How do gradients and layer responses spread through depth?", paper: gradientsPaper, loaded: results.gradients, render: gradientsSection },
      results,
    ),
    await experimentSection(
      { id: "lesion", label: "Lesion", title: "Lesion: removing blocks from trained nets", experiment: "lesion", question: "Remove a block from a trained net at test time: does the net still work?", paper: lesionPaper, loaded: results.lesion, render: lesionSection },
      results,
    ),
    await experimentSection(
      { id: "landscape", label: "Loss landscape", title: "The loss landscape around the trained weights", experiment: "landscape", question: "What does the loss look like around the trained weights?", paper: landscapePaper, loaded: results.landscape, render: landscapeSection },
      results,
    ),
    await experimentSection(
      { id: "shattered", label: "Shattered gradients", title: "Shattered gradients at initialisation", experiment: "shattered", question: "Is the gradient with respect to the input still smooth at initialisation?", paper: shatteredPaper, loaded: results.shattered, render: shatteredSection },
      results,
    ),
    await experimentSection(
      {
        id: "transformer",
        label: "Transformer",
        title: "The Transformer's residual stream",
        experiment: "transformer",
        question: "What happens to a Transformer without its residual stream?",
        paper: transformerPaper,
        loaded: results.transformer,
        render: transformerSection,
      },
      results,
    ),
    await experimentSection(
      {
        id: "when-to-use",
        label: "When to use them",
        title: "When should you use them?",
        experiment: "depth-sweep",
        question: "From which depth does a plain net fall behind its residual twin?",
        paper: html`<p>He et al. 2015 saw plain nets degrade on CIFAR-10 as they grew from 20 to 56 layers, while residual nets kept improving up to 110 layers.</p>`,
        loaded: results.depthSweep,
        render: depthSweepSection,
      },
      results,
    ),
  );
  sections.push(provenanceSection(results, generatedAt));

  const names = sections.flatMap((section) => section.figures.map((figure) => figure.name));
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) throw new Error(`report: two figures are named '${repeated}'; figure names must be unique`);

  const page = renderPage({ profile, runsFolder: results.runsFolder, generatedAt, sections });
  return { html: page, sections };
}

/** Writes a file through a temporary name and a rename, so a reader never sees half a file. */
function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/**
 * Writes OUT/index.html and OUT/figures/NAME.svg for every figure. SVG files left in
 * OUT/figures/ by an earlier report are removed first, so the folder matches the page.
 */
export async function writeReport(runsFolder: string, outFolder: string, options: ReportOptions = {}): Promise<WrittenReport> {
  const report = await buildReport(runsFolder, options);
  const root = path.resolve(outFolder);
  const figuresFolder = path.join(root, "figures");
  mkdirSync(figuresFolder, { recursive: true });
  for (const entry of readdirSync(figuresFolder)) {
    if (entry.endsWith(".svg")) rmSync(path.join(figuresFolder, entry));
  }

  const figureFiles: string[] = [];
  for (const figure of report.sections.flatMap((section) => section.figures)) {
    const file = path.join(figuresFolder, `${figure.name}.svg`);
    writeAtomically(file, `<?xml version="1.0" encoding="UTF-8"?>\n${figure.svg.markup}\n`);
    figureFiles.push(file);
  }
  const indexFile = path.join(root, "index.html");
  writeAtomically(indexFile, report.html);
  return { ...report, indexFile, figureFiles };
}
