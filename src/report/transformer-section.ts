// The Transformer's residual stream (Dong, Cordonnier and Loukas 2021): rank collapse of
// attention-only stacks at initialisation, and trained Transformers against their plain twins
// (loss, accuracy, each hidden state's distance from rank 1, per-layer gradient norms).
import type { TopLevelSpec } from "vega-lite";
import type { ExperimentResult } from "../experiments/experiment.js";
import type { DepthComparison, GroupComparison, RankCollapseCheck, TransformerData, TransformerExperimentConfig } from "../experiments/transformer.js";
import type { TransformerRun } from "../experiments/transformer-training.js";
import { formatSpread, listInProse } from "./format.js";
import { html, type SafeHtml } from "./html.js";
import { seedsText } from "./recipe-text.js";
import { badge, findings, figureBlock, verdictLabel, type SectionContent } from "./section.js";
import { momentDash, renderVegaLite, twinScale, type Figure } from "./vega-figure.js";

export const transformerPaper = html`<p>Dong et al. 2021 proved that self-attention alone, without skip connections or MLPs, drives its output toward a rank-1 matrix doubly exponentially fast with depth: every token ends up with the same representation ("token uniformity"). Skip connections stop this collapse and MLPs slow it; their experiments on standard Transformer variants showed the collapse once the skip connections were removed.</p>`;

const color = { field: "twin", type: "nominal", title: null, scale: twinScale, legend: { orient: "top", direction: "horizontal", symbolOpacity: 1 } } as const;
const blocksColumn = { field: "blocks", type: "ordinal", title: null, header: { labelExpr: "datum.value + (datum.value == 1 ? ' block' : ' blocks')", labelFontWeight: "bold" } } as const;

function twinName(residual: boolean): string {
  return residual ? "residual" : "plain";
}

/** Plots the attention-only stacks' last hidden state against depth, the setting of Dong et al.'s theorem. */
function rankCollapseSpec(data: TransformerData): TopLevelSpec {
  const values = data.attentionOnly
    .map((run) => ({ task: run.task, depth: run.depth, twin: twinName(run.residual), seed: run.seed, value: run.atInit.rank1Residual[run.depth] }))
    .filter((value) => Number.isFinite(value.value) && value.value > 0);
  const depths = [...new Set(values.map((value) => value.depth))];
  const x = { field: "depth", type: "quantitative", title: "attention-only blocks (log scale)", scale: { type: "log", base: 2, nice: false, padding: 12 }, axis: { values: depths } } as const;
  const panel = {
    width: 420,
    height: 240,
    layer: [
      { mark: { type: "point", filled: true, opacity: 0.45, size: 35 }, encoding: { x, y: { field: "value", type: "quantitative", title: "last state's distance from rank 1 (log)", scale: { type: "log" } }, color } },
      { mark: { type: "line", point: true, strokeWidth: 2 }, encoding: { x, y: { aggregate: "mean", field: "value", type: "quantitative" }, color } },
    ],
  };
  const tasks = new Set(values.map((value) => value.task));
  if (tasks.size <= 1) return { data: { values }, ...panel } as TopLevelSpec;
  return {
    data: { values },
    facet: { column: { field: "task", type: "nominal", title: null, header: { labelExpr: "'task: ' + datum.value", labelFontWeight: "bold" } } },
    spec: panel,
  } as TopLevelSpec;
}

function rankByLayerSpec(runs: readonly TransformerRun[]): TopLevelSpec {
  const values = runs.flatMap((run) => {
    const moments: [string, number[] | undefined][] = [
      ["at initialisation", run.atInit.rank1Residual],
      ["after training", run.trained?.rank1Residual],
    ];
    return moments.flatMap(([moment, residuals]) => (residuals ?? []).map((value, layer) => ({ blocks: run.depth, twin: twinName(run.residual), seed: run.seed, moment, layer, value })));
  });
  return {
    data: { values },
    facet: { column: blocksColumn },
    spec: {
      width: 190,
      height: 170,
      mark: { type: "line", strokeWidth: 1.8 },
      encoding: {
        x: { field: "layer", type: "quantitative", title: "hidden state (0 = embeddings)", axis: { tickMinStep: 1 } },
        y: { aggregate: "mean", field: "value", type: "quantitative", title: "distance from rank 1", scale: { domain: [0, 1] } },
        color,
        strokeDash: momentDash("at initialisation", "after training"),
      },
    },
    resolve: { scale: { x: "independent" } },
  } as TopLevelSpec;
}

function lossSpec(runs: readonly TransformerRun[], logEvery: number): TopLevelSpec {
  const values = runs
    .flatMap((run) => run.trainLoss.map((loss, index) => ({ blocks: run.depth, twin: twinName(run.residual), seed: String(run.seed), step: (index + 1) * logEvery, loss })))
    .filter((value) => Number.isFinite(value.loss));
  return {
    data: { values },
    facet: { column: blocksColumn },
    spec: {
      width: 190,
      height: 170,
      mark: { type: "line", strokeWidth: 1.5 },
      encoding: {
        x: { field: "step", type: "quantitative", title: "training step" },
        y: { field: "loss", type: "quantitative", title: "training loss" },
        color,
        detail: { field: "seed", type: "nominal" },
      },
    },
  } as TopLevelSpec;
}

function gradientNormSpec(comparisons: readonly DepthComparison[]): TopLevelSpec {
  const values = comparisons.flatMap((comparison) => {
    const rows: { blocks: number; twin: string; moment: string; layer: number; norm: number }[] = [];
    const add = (moment: string, norms: { residual: number[]; plain: number[] }) => {
      norms.residual.forEach((norm, layer) => rows.push({ blocks: comparison.depth, twin: "residual", moment, layer, norm }));
      norms.plain.forEach((norm, layer) => rows.push({ blocks: comparison.depth, twin: "plain", moment, layer, norm }));
    };
    add("first step", comparison.gradientNorms.firstStep);
    add("last recorded step", comparison.gradientNorms.lastStep);
    return rows;
  }).filter((value) => Number.isFinite(value.norm) && value.norm > 0);
  return {
    data: { values },
    facet: { column: blocksColumn },
    spec: {
      width: 190,
      height: 170,
      mark: { type: "line", strokeWidth: 1.8 },
      encoding: {
        x: { field: "layer", type: "quantitative", title: "layer (0 = embeddings, last = head)", axis: { tickMinStep: 1 } },
        y: { field: "norm", type: "quantitative", title: "gradient norm (log)", scale: { type: "log" } },
        color,
        strokeDash: momentDash("first step", "last recorded step"),
      },
    },
    resolve: { scale: { x: "independent" } },
  } as TopLevelSpec;
}

/** Turns text from a result file into a name safe for a file and an HTML id. */
function safeName(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "task";
}

function comparisonCells(comparison: GroupComparison, residualText: string, plainText: string): SafeHtml {
  return html`<td>${formatSpread(comparison.residual)}</td><td>${formatSpread(comparison.plain)}</td><td>${verdictLabel(comparison.better, residualText, plainText)}</td>`;
}

function comparisonTable(comparisons: readonly DepthComparison[]): SafeHtml {
  const rows = comparisons.map(
    (comparison) => html`<tr><td>${comparison.depth}</td>${comparisonCells(comparison.finalLoss, "residual", "plain")}${comparisonCells(comparison.finalAccuracy, "residual", "plain")}<td>${comparison.diverged.residual} / ${comparison.diverged.plain}</td></tr>`,
  );
  return html`<div class="table-wide"><table class="numbers"><thead>
<tr><th rowspan="2">blocks</th><th colspan="3">final validation loss</th><th colspan="3">final token accuracy</th><th rowspan="2">diverged<br>(residual / plain)</th></tr>
<tr><th>residual</th><th>plain</th><th>better</th><th>residual</th><th>plain</th><th>better</th></tr>
</thead><tbody>${rows}</tbody></table></div>`;
}

function rankCollapseText(check: RankCollapseCheck): { item: SafeHtml; summary: string } {
  const last = check.depths.length - 1;
  const deepest = check.depths[last];
  const readings = {
    agrees: { text: "collapse toward rank 1 without skips, as the paper proves", tone: "residual" },
    disagrees: { text: "disagrees with the paper", tone: "plain" },
    inconclusive: { text: "inconclusive", tone: "inconclusive" },
  } as const;
  const reading = readings[check.verdict] ?? readings.inconclusive;
  const label = badge(reading.text, reading.tone);
  const item = html`<li>Attention-only stacks on <code>${check.task}</code>, at initialisation: the last state's distance from rank 1 goes from ${formatSpread(check.plain[0])} at ${check.depths[0]} ${check.depths[0] === 1 ? "block" : "blocks"} to ${formatSpread(check.plain[last])} at ${deepest} without skips, against ${formatSpread(check.residual[last])} with them. ${label}</li>`;
  return { item, summary: `${check.task}, attention-only stacks: ${reading.text}` };
}

export async function transformerSection(result: ExperimentResult<TransformerExperimentConfig, TransformerData>): Promise<SectionContent> {
  const { data, config } = result;
  const figures: Figure[] = [];
  const parts: SafeHtml[] = [];
  const measured: SafeHtml[] = [];
  const summaries: string[] = [];

  if (data.attentionOnly.length > 0) {
    const collapse: Figure = {
      name: "transformer-rank-collapse",
      svg: await renderVegaLite(rankCollapseSpec(data), "transformer-rank-collapse"),
      caption: html`<strong>Rank collapse in attention-only stacks</strong> (no MLPs, LayerNorm kept) at initialisation: ‖X − X₁‖/‖X‖ of the last hidden state X, with X₁ its best rank-1 approximation; 0 means every token has the same direction. Dots are single seeds, lines join the means. Values near 1e-7 are float32 round-off, rank 1 to working precision.`,
    };
    figures.push(collapse);
    parts.push(figureBlock(collapse, true));
  }
  const checks = data.rankCollapse.map(rankCollapseText);
  summaries.push(...checks.map((check) => check.summary));

  const tasks = [...new Set(data.runs.map((run) => String(run.task)))];
  for (const [index, task] of tasks.entries()) {
    const runs = data.runs.filter((run) => String(run.task) === task);
    const comparisons = data.comparisons.filter((comparison) => String(comparison.task) === task);
    const prefix = `transformer-${index + 1}-${safeName(task)}`;
    const logEvery = config.training?.[task as keyof TransformerExperimentConfig["training"]]?.logEvery ?? runs[0]?.gradientNorms?.[1]?.step ?? 1;

    const rank: Figure = {
      name: `${prefix}-rank`,
      svg: await renderVegaLite(rankByLayerSpec(runs), `${prefix}-rank`),
      caption: html`<strong>Distance of each hidden state from rank 1</strong> in the trained Transformers on <code>${task}</code>, at initialisation (dashed) and after training (solid), mean over seeds.`,
    };
    const loss: Figure = {
      name: `${prefix}-loss`,
      svg: await renderVegaLite(lossSpec(runs, logEvery), `${prefix}-loss`),
      caption: html`<strong>Training loss</strong> on <code>${task}</code>, mean over each interval of ${logEvery} steps, one line per seed.`,
    };
    const gradients: Figure = {
      name: `${prefix}-gradient-norms`,
      svg: await renderVegaLite(gradientNormSpec(comparisons), `${prefix}-gradient-norms`),
      caption: html`<strong>Gradient norm of each layer</strong> on <code>${task}</code>: embeddings, each block, then the final norm and head, at the first step (dashed) and the last recorded one (solid); mean over seeds.`,
    };
    figures.push(rank, loss, gradients);
    parts.push(html`<h3>Trained on <code>${task}</code></h3>`, figureBlock(loss, true), figureBlock(rank, true), figureBlock(gradients, true), comparisonTable(comparisons));

    const lossWins = comparisons.filter((comparison) => comparison.finalLoss.better === "residual").map((comparison) => comparison.depth);
    const plainWins = comparisons.filter((comparison) => comparison.finalLoss.better === "plain").map((comparison) => comparison.depth);
    const lossText =
      lossWins.length > 0 ? `the residual net reached the lower validation loss beyond the seed spread at ${listInProse(lossWins.map(String))} blocks` : "no depth separated the twins' validation loss beyond the seed spread";
    summaries.push(`${task}: ${lossText}`);
    measured.push(html`<li>Trained on <code>${task}</code>: ${lossText}${plainWins.length > 0 ? `; the plain net did at ${listInProse(plainWins.map(String))} blocks` : ""}. The table above has each depth, and the figure the rank of every hidden state.</li>`);
  }

  const skipped = data.skipped.map((entry) => html`<li><code>${entry.task}</code> was not run: ${entry.reason}.</li>`);
  const model = config.model;
  const body = html`<p>What happens to a Transformer without its residual stream? Decoder-only Transformers (width ${model.dModel}, ${model.nHeads} heads, ${model.norm === "pre" ? "pre-LN" : "post-LN"}) of ${listInProse(config.depths.map(String))} blocks and their plain twins, both skips of every block removed, trained on ${listInProse(tasks.map((task) => `"${task}"`))}, ${seedsText(config.seeds)}; and stacks of attention-only blocks of up to ${Math.max(...config.attentionOnlyDepths)} blocks, measured at initialisation.</p>
${parts}
${findings(html`<ul>${checks.map((check) => check.item)}${measured}</ul>`, transformerPaper)}
${skipped.length > 0 ? html`<ul class="aside">${skipped}</ul>` : ""}`;
  return { body, figures, status: "ok", summary: summaries.join(". ") || "no runs" };
}
