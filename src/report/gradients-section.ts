// Gradients and layer responses through depth (He et al. 2015, Fig. 7 and §4.1): per-layer
// gradient norms at initialisation and at the end of training, and the standard deviation of
// each 3x3 layer's response.
import type { TopLevelSpec } from "vega-lite";
import type { ExperimentResult } from "../experiments/experiment.js";
import type { GradientsConfig, GradientsData } from "../experiments/gradients.js";
import { formatSpread } from "./format.js";
import { html, type SafeHtml } from "./html.js";
import { netRecipeText, seedsText } from "./recipe-text.js";
import { findings, figureBlock, verdictLabel, verdictWord, type SectionContent } from "./section.js";
import { momentDash, renderVegaLite, twinScale, type Figure } from "./vega-figure.js";

export const gradientsPaper = html`<p>He et al. 2015 (Fig. 7) measured the standard deviation of every 3×3 layer's response on CIFAR-10, after BatchNorm and before the addition: the residual nets' responses are generally <em>smaller</em> than their plain twins', and smaller still in deeper residual nets, so each residual function stays close to zero. They also argued (§4.1) that vanishing gradients do not explain the degradation of plain nets, because BatchNorm keeps the forward signals' variance away from zero and the backward gradients showed healthy norms.</p>`;

const color = { field: "twin", type: "nominal", title: null, scale: twinScale, legend: { orient: "top", direction: "horizontal" } } as const;

/** Builds one panel per depth, with a line per twin and moment, mean over seeds. */
function layerSpec(values: object[], yField: string, yTitle: string, logScale: boolean): TopLevelSpec {
  return {
    data: { values },
    facet: { column: { field: "net depth", type: "ordinal", title: null, header: { labelExpr: "'depth ' + datum.value", labelFontWeight: "bold" } } },
    spec: {
      width: 300,
      height: 220,
      mark: { type: "line", strokeWidth: 1.8 },
      encoding: {
        x: { field: "layer", type: "quantitative", title: "layer index (input side first)", axis: { tickMinStep: 1 } },
        y: { aggregate: "mean", field: yField, type: "quantitative", title: yTitle, scale: logScale ? { type: "log" } : { zero: false } },
        color,
        strokeDash: momentDash("at initialisation", "after training"),
      },
    },
    resolve: { scale: { x: "independent" } },
  } as TopLevelSpec;
}

function gradientNormValues(data: GradientsData): object[] {
  return data.runs.flatMap((run) => {
    const first = run.gradientNorms[0]?.norms ?? run.initialGradientNorms;
    const last = run.gradientNorms.at(-1)?.norms ?? [];
    const twin = run.residual ? "residual" : "plain";
    return [
      ...first.map((norm, layer) => ({ "net depth": run.depth, twin, seed: run.seed, layer, moment: "at initialisation", norm })),
      ...last.map((norm, layer) => ({ "net depth": run.depth, twin, seed: run.seed, layer, moment: "after training", norm })),
    ].filter((value) => Number.isFinite(value.norm) && value.norm > 0);
  });
}

function responseValues(data: GradientsData): object[] {
  return data.runs.flatMap((run) => {
    const twin = run.residual ? "residual" : "plain";
    return [
      ...run.initialResponseStd.map((std, layer) => ({ "net depth": run.depth, twin, seed: run.seed, layer, moment: "at initialisation", std })),
      ...run.trainedResponseStd.map((std, layer) => ({ "net depth": run.depth, twin, seed: run.seed, layer, moment: "after training", std })),
    ];
  });
}

export async function gradientsSection(result: ExperimentResult<GradientsConfig, GradientsData>): Promise<SectionContent> {
  const { data, config } = result;
  const gradientFigure: Figure = {
    name: "gradient-norms",
    svg: await renderVegaLite(layerSpec(gradientNormValues(data), "norm", "gradient norm (log scale)", true), "gradient-norms"),
    caption: html`<strong>Gradient norm of each 3×3 convolution's weight</strong> on the first training batch (dashed) and on the last recorded one (solid), mean over ${seedsText(config.seeds)}.`,
  };
  const responseFigure: Figure = {
    name: "response-std",
    svg: await renderVegaLite(layerSpec(responseValues(data), "std", "response std", false), "response-std"),
    caption: html`<strong>Standard deviation of each 3×3 layer's response</strong> after BatchNorm and before the addition, on ${config.responseImages} test images, at initialisation (dashed; BatchNorm with batch statistics) and after training (solid).`,
  };

  const measured: SafeHtml[] = [];
  const summaries: string[] = [];
  for (const comparison of data.comparisons) {
    const { depth, responseStd, gradientSpread } = comparison;
    measured.push(html`<h4>depth ${depth}</h4><ul>
<li>Mean response std after training: residual ${formatSpread(responseStd.residual)}, plain ${formatSpread(responseStd.plain)}. ${verdictLabel(responseStd.smaller, "residual responses smaller", "plain responses smaller")}</li>
<li>Spread of the gradient norm from the last layer to the first at initialisation, |log₁₀(first / last)|: residual ${formatSpread(gradientSpread.residual)}, plain ${formatSpread(gradientSpread.plain)}. ${verdictLabel(gradientSpread.flatter, "residual more even", "plain more even")}</li>
</ul>`);
    summaries.push(
      `depth ${depth}: response std ${verdictWord(responseStd.smaller, "smaller in the residual net", "smaller in the plain net")}, gradient norms across layers ${verdictWord(gradientSpread.flatter, "more even in the residual net", "more even in the plain net")}`,
    );
  }

  const body = html`<p>How do gradients and layer responses spread through depth? ${netRecipeText(config.recipe, config.seeds)}, on <code>${config.dataset}</code> at depths ${config.depths.join(" and ")}.</p>
${figureBlock(gradientFigure, true)}
${figureBlock(responseFigure, true)}
${findings(measured, gradientsPaper)}`;
  return { body, figures: [gradientFigure, responseFigure], status: "ok", summary: summaries.join(". ") };
}
