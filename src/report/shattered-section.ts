// Shattered gradients (Balduzzi, Frean, Leary, Lewis, Ma and McWilliams 2017). At initialisation,
// the gradient of a deep plain net along a line of inputs decorrelates toward white noise, while
// a residual net's stays correlated.
import type { TopLevelSpec } from "vega-lite";
import type { ExperimentResult } from "../experiments/experiment.js";
import type { ShatteredConfig, ShatteredData } from "../experiments/shattered.js";
import { formatSpread } from "./format.js";
import { html, type SafeHtml } from "./html.js";
import { seedsText } from "./recipe-text.js";
import { findings, figureBlock, verdictLabel, verdictWord, type SectionContent } from "./section.js";
import { renderVegaLite, twinScale, type Figure } from "./vega-figure.js";

export const shatteredPaper = html`<p>Balduzzi et al. 2017 showed that in feedforward nets at initialisation the correlation between the gradients at nearby inputs decays exponentially with depth, until the gradient along a line of inputs resembles white noise: it is "shattered". With skip connections it decays only sublinearly, so the gradient keeps its structure at depths where a plain net's does not.</p>`;

const twinColumn = { field: "twin", type: "nominal", title: null, sort: ["residual", "plain"], header: { labelFontWeight: "bold" } } as const;

function autocorrelationSpec(data: ShatteredData): TopLevelSpec {
  const values = data.runs.flatMap((run) =>
    run.autocorrelation.map((value, lag) => ({ twin: run.residual ? "residual" : "plain", depth: run.depth, seed: run.seed, lag, autocorrelation: value })),
  );
  return {
    data: { values },
    facet: { column: twinColumn },
    spec: {
      width: 300,
      height: 200,
      mark: { type: "line", point: { size: 20 }, strokeWidth: 1.6 },
      encoding: {
        x: { field: "lag", type: "quantitative", title: "lag (input points)" },
        y: { aggregate: "mean", field: "autocorrelation", type: "quantitative", title: "autocorrelation", scale: { domain: [-0.2, 1] } },
        color: { field: "depth", type: "ordinal", title: "depth", scale: { scheme: "viridis" } },
      },
    },
  } as TopLevelSpec;
}

function lagOneSpec(data: ShatteredData): TopLevelSpec {
  const values = data.runs.map((run) => ({ twin: run.residual ? "residual" : "plain", depth: run.depth, seed: run.seed, lag1: run.autocorrelation[1] }));
  const color = { field: "twin", type: "nominal", title: null, scale: twinScale, legend: { orient: "top", direction: "horizontal", symbolOpacity: 1 } } as const;
  const x = { field: "depth", type: "quantitative", title: "depth (layers, log scale)", scale: { type: "log", nice: false, padding: 16 }, axis: { values: [...new Set(data.runs.map((run) => run.depth))] } } as const;
  return {
    data: { values },
    width: 420,
    height: 200,
    layer: [
      { mark: { type: "point", filled: true, opacity: 0.45, size: 40 }, encoding: { x, y: { field: "lag1", type: "quantitative", title: "lag-1 autocorrelation", scale: { domain: [-0.2, 1] } }, color } },
      { mark: { type: "line", point: true, strokeWidth: 2 }, encoding: { x, y: { aggregate: "mean", field: "lag1", type: "quantitative" }, color } },
    ],
  } as TopLevelSpec;
}

/** Plots the gradient along the line at the deepest depth, first seed, one panel per twin. */
function gradientLineSpec(data: ShatteredData, depth: number): TopLevelSpec {
  const seed = Math.min(...data.runs.map((run) => run.seed));
  const values = data.runs
    .filter((run) => run.depth === depth && run.seed === seed)
    .flatMap((run) => run.gradient.map((gradient, index) => ({ twin: run.residual ? "residual" : "plain", input: data.inputs[index], gradient })));
  return {
    data: { values },
    facet: { column: twinColumn },
    spec: {
      width: 300,
      height: 150,
      mark: { type: "line", strokeWidth: 1 },
      encoding: {
        x: { field: "input", type: "quantitative", title: "input x" },
        y: { field: "gradient", type: "quantitative", title: "df/dx (unit std)" },
        color: { field: "twin", type: "nominal", scale: twinScale, legend: null },
      },
    },
  } as TopLevelSpec;
}

export async function shatteredSection(result: ExperimentResult<ShatteredConfig, ShatteredData>): Promise<SectionContent> {
  const { data, config } = result;
  const deepest = Math.max(...data.runs.map((run) => run.depth));
  const lines: Figure = {
    name: "shattered-gradient",
    svg: await renderVegaLite(gradientLineSpec(data, deepest), "shattered-gradient"),
    caption: html`<strong>The gradient along the line</strong> at depth ${deepest}, first seed, each scaled to unit standard deviation.`,
  };
  const autocorrelation: Figure = {
    name: "shattered-autocorrelation",
    svg: await renderVegaLite(autocorrelationSpec(data), "shattered-autocorrelation"),
    caption: html`<strong>Autocorrelation of the gradient against lag</strong>, one line per depth, mean over ${seedsText(config.seeds)}. White noise would drop to 0 at lag 1.`,
  };
  const lagOne: Figure = {
    name: "shattered-lag-1",
    svg: await renderVegaLite(lagOneSpec(data), "shattered-lag-1"),
    caption: html`<strong>Lag-1 autocorrelation against depth.</strong> Dots are single seeds, lines join the means.`,
  };

  const measured: SafeHtml[] = [];
  const verdicts: string[] = [];
  for (const comparison of data.comparisons) {
    const { depth, lag1 } = comparison;
    measured.push(html`<li>depth ${depth}: residual ${formatSpread(lag1.residual)}, plain ${formatSpread(lag1.plain)}. ${verdictLabel(lag1.moreCorrelated, "residual more correlated", "plain more correlated")}</li>`);
    verdicts.push(`depth ${depth} ${verdictWord(lag1.moreCorrelated, "residual higher", "plain higher")}`);
  }

  const body = html`<p>Is the gradient still smooth at initialisation? MLPs of width ${config.width} with one input and one output, each block BatchNorm, ReLU and a linear layer, at depths ${config.depths.join(", ")}, ${seedsText(config.seeds)}: the derivative of the output with respect to the input at ${config.points} points on the line from −2 to 2.</p>
${figureBlock(lines, true)}
${figureBlock(autocorrelation, true)}
${figureBlock(lagOne)}
${findings(html`<p>Lag-1 autocorrelation of the gradient:</p><ul>${measured}</ul>`, shatteredPaper)}`;
  return { body, figures: [lines, autocorrelation, lagOne], status: "ok", summary: `lag-1 autocorrelation of the input gradient: ${verdicts.join("; ")}` };
}
