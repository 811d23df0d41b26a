// Degradation (He et al. 2015, Fig. 6): does a deeper plain net train worse, and a deeper
// residual net not? Training and test error against depth, and the verdicts of the result.
import type { TopLevelSpec } from "vega-lite";
import type { DegradationConfig, DegradationData, DepthSummary, Verdict as GroupVerdict } from "../experiments/degradation.js";
import type { ExperimentResult } from "../experiments/experiment.js";
import { formatSpread, netLabel } from "./format.js";
import { html, type SafeHtml } from "./html.js";
import { netRecipeText } from "./recipe-text.js";
import { badge, findings, figureBlock, twinVerdict, verdictLabel, verdictWord, type SectionContent, type Tone } from "./section.js";
import { renderVegaLite, twinScale, type Figure } from "./vega-figure.js";

export const degradationPaper = html`<p>He et al. 2015 (§4.2, Fig. 6) trained plain nets of 20, 32, 44 and 56 layers on CIFAR-10: the deeper the plain net, the <em>higher</em> its training error, plain-56 above plain-20 through the whole schedule. Overfitting cannot explain it, because it is the training error that rises. Their residual twins did the opposite: training and test error fell as depth grew, up to 110 layers.</p>`;

function errorsSpec(data: DegradationData): TopLevelSpec {
  const values = data.runs.flatMap((run) => [
    { dataset: run.dataset, depth: run.depth, twin: run.residual ? "residual" : "plain", seed: run.seed, measure: "training error", error: run.finalTrainError },
    { dataset: run.dataset, depth: run.depth, twin: run.residual ? "residual" : "plain", seed: run.seed, measure: "test error", error: run.testError },
  ]);
  const x = { field: "depth", type: "quantitative", title: "depth (layers)", scale: { zero: false, nice: false, padding: 12 }, axis: { values: [...new Set(data.runs.map((run) => run.depth))] } } as const;
  const color = { field: "twin", type: "nominal", title: null, scale: twinScale, legend: { orient: "top", direction: "horizontal", symbolOpacity: 1 } } as const;
  const column = { field: "measure", type: "nominal", title: null, sort: ["training error", "test error"], header: { labelFontWeight: "bold" } };
  const row = { field: "dataset", type: "nominal", title: null, header: { labelFontWeight: "bold", labelAngle: 0, labelAlign: "left", labelAnchor: "start", labelOrient: "top" } };
  // One dataset needs no row of panels per dataset.
  const facet = new Set(data.runs.map((run) => run.dataset)).size > 1 ? { row, column } : { column };
  return {
    data: { values },
    facet,
    spec: {
      width: 290,
      height: 200,
      layer: [
        { mark: { type: "point", filled: true, opacity: 0.45, size: 40 }, encoding: { x, y: { field: "error", type: "quantitative", title: "error", axis: { format: ".0%" } }, color } },
        { mark: { type: "line", point: true, strokeWidth: 2 }, encoding: { x, y: { aggregate: "mean", field: "error", type: "quantitative", title: "error", axis: { format: ".0%" } }, color } },
      ],
    },
    resolve: { scale: { y: "independent" } },
  } as unknown as TopLevelSpec;
}

function summaryOf(data: DegradationData, dataset: string, depth: number, residual: boolean): DepthSummary | undefined {
  return data.summaries[dataset]?.find((summary) => summary.depth === depth && summary.residual === residual);
}

function lossText(summary: DepthSummary | undefined): string {
  return summary ? formatSpread(summary.trainLoss) : "n/a";
}

/** Labels a depth comparison of one twin, where "a" (the shallow net lower) means the deeper net trains worse. */
function depthVerdict(verdict: GroupVerdict, twin: "plain" | "residual"): { label: SafeHtml; word: string } {
  if (verdict === "a") {
    const tone: Tone = twin === "plain" ? "plain" : "neutral";
    const text = twin === "plain" ? "degradation: the deeper net trains worse" : "the deeper net trains worse";
    return { label: badge(text, tone), word: twin === "plain" ? "train worse when deeper (degradation)" : "train worse when deeper" };
  }
  if (verdict === "b") return { label: badge("the deeper net trains better", "neutral"), word: "train better when deeper" };
  return { label: badge("inconclusive", "inconclusive"), word: "inconclusive" };
}

export async function degradationSection(result: ExperimentResult<DegradationConfig, DegradationData>): Promise<SectionContent> {
  const { data, config } = result;
  const figure: Figure = {
    name: "degradation",
    svg: await renderVegaLite(errorsSpec(data), "degradation"),
    caption: html`<strong>Error against depth</strong> after the last epoch. Dots are single seeds, lines join the means. Residual nets in orange, their plain twins in blue.`,
  };

  const measured: SafeHtml[] = [];
  const summaries: string[] = [];
  for (const finding of data.findings) {
    const { dataset, shallowest, deepest } = finding;
    const plain = depthVerdict(finding.plainShallowVersusDeep, "plain");
    const residual = depthVerdict(finding.residualShallowVersusDeep, "residual");
    const atDepth = finding.residualVersusPlainAtDepth;
    const atDepthVerdict = twinVerdict(atDepth);
    const atDepthLabel = verdictLabel(atDepthVerdict, "residual trains better", "plain trains better");
    const atDepthWord = verdictWord(atDepthVerdict, "the residual net trains better", "the plain net trains better");

    measured.push(html`<h4>${dataset}</h4><ul>
<li>Plain nets: ${netLabel(shallowest, false)} ends at training loss ${lossText(summaryOf(data, dataset, shallowest, false))}, ${netLabel(deepest, false)} at ${lossText(summaryOf(data, dataset, deepest, false))}. ${plain.label}</li>
<li>Residual nets: ${netLabel(shallowest, true)} ends at ${lossText(summaryOf(data, dataset, shallowest, true))}, ${netLabel(deepest, true)} at ${lossText(summaryOf(data, dataset, deepest, true))}. ${residual.label}</li>
<li>At ${deepest} layers, residual against plain: ${lossText(summaryOf(data, dataset, deepest, true))} against ${lossText(summaryOf(data, dataset, deepest, false))}. ${atDepthLabel}</li>
</ul>`);
    summaries.push(`${dataset}, ${shallowest} to ${deepest} layers: plain nets ${plain.word}, residual nets ${residual.word}; at ${deepest} layers ${atDepthWord}`);
  }

  const body = html`<p>Does a deeper plain net train worse? ${netRecipeText(config.recipe, config.seeds)}; depths ${config.depths.join(", ")}. The verdicts compare the final training loss.</p>
${figureBlock(figure, true)}
${findings(measured, degradationPaper)}`;
  return { body, figures: [figure], status: "ok", summary: summaries.join(". ") };
}
