// Provenance: the machine, versions, threads, seeds and wall time behind every result on the page.
import type { Provenance } from "../torch/provenance.js";
import { formatWallTime, listInProse } from "./format.js";
import { html, type SafeHtml } from "./html.js";
import type { RunResults } from "./run-results.js";
import type { Section } from "./section.js";

interface ProvenanceRow {
  name: string;
  profile: string;
  seeds: string;
  finishedAt: string;
  wallSeconds: number;
  /** Seconds recorded by the parts behind the result, reused ones included; undefined for older results. */
  partSeconds: number | undefined;
  /** libtorch threads during the run: an experiment that sets its own count records it in its config. */
  threads: number | undefined;
  provenance: Partial<Provenance> | undefined;
}

function seedList(config: unknown): string {
  const seeds = (config as { seeds?: unknown } | undefined)?.seeds;
  return Array.isArray(seeds) ? seeds.map(String).join(", ") : "n/a";
}

function collectRows(results: RunResults): ProvenanceRow[] {
  const rows: ProvenanceRow[] = [];
  if (results.seedRecipe.status === "present") {
    const seed = results.seedRecipe.value;
    rows.push({ name: "seed recipe", profile: "n/a", seeds: String(seed.recipe.seed), finishedAt: seed.finishedAt ?? "n/a", wallSeconds: seed.wallSeconds, partSeconds: undefined, threads: seed.provenance?.threads, provenance: seed.provenance });
  }
  const experiments = [results.degradation, results.depthSweep, results.gradients, results.lesion, results.landscape, results.shattered, results.transformer];
  for (const loaded of experiments) {
    if (loaded.status !== "present") continue;
    const result = loaded.value;
    const threads = (result.config as { threads?: unknown } | undefined)?.threads;
    rows.push({
      name: result.experiment,
      profile: result.profile,
      seeds: seedList(result.config),
      finishedAt: result.finishedAt,
      wallSeconds: result.wallSeconds,
      partSeconds: result.partSeconds,
      threads: typeof threads === "number" ? threads : result.provenance?.threads,
      provenance: result.provenance,
    });
  }
  return rows;
}

/** "2026-12-04 20:48 UTC" from an ISO timestamp; other text as it is. */
function formatTimestamp(text: string): string {
  const time = Date.parse(text);
  return Number.isNaN(time) ? text : `${new Date(time).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Collects the distinct values of one provenance field over the results, in first-seen order. */
function distinct(rows: readonly ProvenanceRow[], read: (provenance: Partial<Provenance>) => unknown): string[] {
  const values = rows.flatMap((row) => (row.provenance ? [read(row.provenance)] : [])).filter((value) => value !== undefined && value !== null);
  return [...new Set(values.map((value) => (Array.isArray(value) ? value.join(", ") : String(value))))];
}

export function provenanceSection(results: RunResults, generatedAt: Date): Section {
  const rows = collectRows(results);
  const machine: [string, string[]][] = [
    ["CPU", distinct(rows, (p) => p.cpuModel)],
    ["CPU features (SIMD)", distinct(rows, (p) => p.cpuFeatures)],
    ["libtorch CPU capability", distinct(rows, (p) => p.cpuCapability)],
    ["cores", distinct(rows, (p) => p.cores)],
    ["memory (GiB)", distinct(rows, (p) => p.memoryGiB)],
    ["CUDA available", distinct(rows, (p) => p.cudaAvailable)],
    ["platform", distinct(rows, (p) => p.platform)],
    ["libtorch", distinct(rows, (p) => (p.libtorchVersion ? `${p.libtorchVersion} from ${p.libtorchSource ?? "unknown source"}` : undefined))],
    ["BLAS", distinct(rows, (p) => p.blasLibrary)],
    ["Node.js", distinct(rows, (p) => p.node)],
    ["residual-lab", distinct(rows, (p) => p.residualLabVersion)],
  ];
  const machineRows = machine.map(([name, values]) => html`<tr><th>${name}</th><td>${values.length > 0 ? values.join(" | ") : "n/a"}</td></tr>`);
  const runRows = rows.map(
    (row) =>
      html`<tr><td>${row.name}</td><td>${row.profile}</td><td>${row.seeds}</td><td>${row.threads ?? "n/a"}</td><td>${formatWallTime(row.wallSeconds)}</td><td>${row.partSeconds === undefined ? "n/a" : formatWallTime(row.partSeconds)}</td><td>${formatTimestamp(row.finishedAt)}</td></tr>`,
  );
  const mixed = machine.filter(([, values]) => values.length > 1).map(([name]) => name);
  const mixedNote: SafeHtml | string = mixed.length > 0 ? html`<p class="aside">The results differ in ${listInProse(mixed)}; values are listed in the order of the table below, separated by |.</p>` : "";
  const totalSeconds = rows.reduce((total, row) => total + (Number.isFinite(row.wallSeconds) ? row.wallSeconds : 0), 0);

  const body = rows.length
    ? html`<p>Every measured number on this page comes from the result files of <code>${results.runsFolder}</code> (profile <code>${results.profile}</code>), read when the page was written at ${formatTimestamp(generatedAt.toISOString())}. Wall times count only the computation of that invocation; parts reused from an earlier run add nothing. The time of a result's parts adds up the seconds recorded by every part it is built from, reused ones included, so results that read the same trained nets each count them.</p>
<table class="provenance">${machineRows}</table>
${mixedNote}
<table class="numbers"><thead><tr><th>result</th><th>profile</th><th>seeds</th><th>threads</th><th>wall time</th><th>time of its parts</th><th>finished</th></tr></thead><tbody>${runRows}</tbody></table>
<p>Total wall time of these results: ${formatWallTime(totalSeconds)}.</p>`
    : html`<p>No result was found in <code>${results.runsFolder}</code>, so there is no machine to describe.</p>`;
  return {
    id: "provenance",
    title: "Provenance",
    label: "Provenance",
    body,
    figures: [],
    status: "ok",
    summary: rows.length ? `${rows.length} ${rows.length === 1 ? "result" : "results"}, total wall time ${formatWallTime(totalSeconds)}, on ${distinct(rows, (p) => p.cpuModel).join(" | ") || "an unknown CPU"}` : "no results",
  };
}
