// The parts of a page section and the pieces that sections share: figures, the side-by-side
// "this run" and "the paper" findings, verdict labels and the note for an absent result.
import path from "node:path";
import { html, type HtmlValue, type SafeHtml } from "./html.js";
import type { Loaded } from "./run-results.js";
import type { Figure } from "./vega-figure.js";

export interface Section {
  /** The HTML id and the anchor of the table of contents. */
  id: string;
  title: string;
  /** A short name for the summaries: "Degradation", "Lesion". */
  label: string;
  body: SafeHtml;
  /** Every figure the body shows, for the figures/ folder. */
  figures: Figure[];
  /** "ok", or why the section shows a note instead of results. */
  status: "ok" | "not run" | "unreadable";
  /** One or two plain sentences for the terminal: the section's conclusion. */
  summary: string;
}

/** A section renderer's output, to which the page adds the id, title and label. */
export type SectionContent = Omit<Section, "id" | "title" | "label">;

export type Verdict = "residual" | "plain" | "inconclusive";

/** Wraps a figure's inline SVG and caption in a figure element. */
export function figureBlock(figure: Figure, wide = false): SafeHtml {
  return html`<figure id="figure-${figure.name}" class="${wide ? "wide" : ""}">
${figure.svg}
<figcaption>${figure.caption}</figcaption>
</figure>`;
}

/** Places the measured conclusion beside the published one. */
export function findings(measured: HtmlValue, paper: HtmlValue): SafeHtml {
  return html`<div class="findings">
<div class="finding measured"><h3>This run</h3>${measured}</div>
<div class="finding paper"><h3>The paper</h3>${paper}</div>
</div>`;
}

/** The colour of a verdict label: the residual twin's, the plain twin's, or neither. */
export type Tone = "residual" | "plain" | "neutral" | "inconclusive";

/** Renders a verdict as a small coloured label. */
export function badge(text: string, tone: Tone): SafeHtml {
  return html`<span class="verdict verdict-${tone}">${text}</span>`;
}

/** Labels a residual-against-plain verdict, or shows "inconclusive" when the seeds cannot tell. */
export function verdictLabel(verdict: Verdict, residualText: string, plainText: string): SafeHtml {
  if (verdict === "residual") return badge(residualText, "residual");
  if (verdict === "plain") return badge(plainText, "plain");
  return badge("inconclusive", "inconclusive");
}

/** Maps a comparison of group "a" (the residual net) against "b" (the plain net) to the twin it favours. */
export function twinVerdict(result: "a" | "b" | "inconclusive"): Verdict {
  const twins = { a: "residual", b: "plain", inconclusive: "inconclusive" } as const;
  return twins[result];
}

/** Returns a verdict's words for the terminal summary. */
export function verdictWord(verdict: Verdict, residualText: string, plainText: string): string {
  if (verdict === "residual") return residualText;
  if (verdict === "plain") return plainText;
  return "inconclusive";
}

/** Writes the note for a result that is absent or cannot be read, with the command that makes it. */
export function absentResult<T>(loaded: Exclude<Loaded<T>, { status: "present" }>, runsFolder: string, command: string): SafeHtml {
  const relativeFile = displayPath(loaded.file);
  if (loaded.status === "missing") {
    return html`<div class="note not-run"><p><strong>Not run.</strong> No result at <code>${relativeFile}</code>. To run it:</p>
<pre><code>${command}</code></pre></div>`;
  }
  return html`<div class="note unreadable"><p><strong>Could not read the result</strong> at <code>${relativeFile}</code>: ${loaded.reason}. Rerunning writes it again:</p>
<pre><code>${command}</code></pre></div>`;
}

/** Returns the command line that writes an experiment's result into this run folder. */
export function experimentCommand(name: string, profile: string, runsFolder: string): string {
  const runs = displayPath(runsFolder);
  const runsFlag = runs === "runs" ? "" : ` --runs ${quoteShellArgument(runs)}`;
  const profileFlag = profile === "quick" ? "" : ` --profile ${profile}`;
  return `residual-lab experiment ${name}${profileFlag}${runsFlag}`;
}

/** Quotes a shell argument when it contains anything beyond safe path characters. */
export function quoteShellArgument(argument: string): string {
  return /^[\w./-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}

/** Names a path as a command line would: relative to the working directory when inside it, else absolute. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  if (relative === "") return ".";
  return relative.startsWith("..") || path.isAbsolute(relative) ? path.resolve(file) : relative;
}
