// Lesion (Veit, Wilber and Belongie 2016): blocks removed from trained nets at test time. A removed
// residual block keeps its shortcut; a removed plain block becomes the identity.
import type { TopLevelSpec } from "vega-lite";
import type { ExperimentResult } from "../experiments/experiment.js";
import { spread } from "../experiments/experiment.js";
import type { LesionConfig, LesionData } from "../experiments/lesion.js";
import { formatPercent, formatPercentSpread, netLabel } from "./format.js";
import { html, type SafeHtml } from "./html.js";
import { netRecipeText } from "./recipe-text.js";
import { findings, figureBlock, verdictLabel, verdictWord, type SectionContent } from "./section.js";
import { renderVegaLite, twinScale, type Figure } from "./vega-figure.js";

export const lesionPaper = html`<p>Veit et al. 2016 deleted single blocks from a trained 110-layer ResNet on CIFAR-10 at test time: the error barely changed, except for the few blocks that downsample. Deleting any layer of a trained VGG net, which has no shortcuts, brought it to chance. As more residual blocks were deleted the error rose smoothly. They read this as a residual net behaving like an ensemble of many paths of different lengths, most of them short, that do not strongly depend on each other.</p>`;

const color = { field: "twin", type: "nominal", title: null, scale: twinScale, legend: { orient: "top", direction: "horizontal" } } as const;
const datasetColumn = { field: "dataset", type: "nominal", title: null, header: { labelFontWeight: "bold" } } as const;

function singleBlockSpec(data: LesionData): TopLevelSpec {
  const values = data.runs.flatMap((run) =>
    run.singleBlockErrors.flatMap((error, block) => (error === null ? [] : [{ dataset: run.dataset, twin: run.residual ? "residual" : "plain", seed: run.seed, block, error }])),
  );
  return {
    data: { values },
    facet: { column: datasetColumn },
    spec: {
      width: 300,
      height: 200,
      mark: { type: "line", point: { size: 30 }, strokeWidth: 1.8 },
      encoding: {
        x: { field: "block", type: "quantitative", title: "removed block (index)", axis: { tickMinStep: 1 } },
        y: { aggregate: "mean", field: "error", type: "quantitative", title: "test error", scale: { domain: [0, 1] }, axis: { format: ".0%" } },
        color,
      },
    },
  } as TopLevelSpec;
}

function randomRemovalSpec(data: LesionData): TopLevelSpec {
  const values = data.runs.flatMap((run) => {
    const twin = run.residual ? "residual" : "plain";
    return [
      { dataset: run.dataset, twin, seed: run.seed, removed: 0, error: run.baselineError },
      ...run.randomRemovalErrors.map((entry) => ({ dataset: run.dataset, twin, seed: run.seed, removed: entry.removed, error: entry.meanError })),
    ];
  });
  const chance = data.comparisons.map((comparison) => ({ dataset: comparison.dataset, chance: comparison.chanceError }));
  return {
    data: { values },
    facet: { column: datasetColumn },
    spec: {
      width: 300,
      height: 200,
      layer: [
        {
          mark: { type: "line", point: { size: 30 }, strokeWidth: 1.8 },
          encoding: {
            x: { field: "removed", type: "quantitative", title: "blocks removed at random", axis: { tickMinStep: 1 } },
            y: { aggregate: "mean", field: "error", type: "quantitative", title: "test error", scale: { domain: [0, 1] }, axis: { format: ".0%" } },
            color,
          },
        },
        {
          data: { values: chance },
          transform: [{ calculate: "datum.chance", as: "error" }],
          mark: { type: "rule", strokeDash: [4, 4], color: "#71717a" },
          encoding: { y: { field: "error", type: "quantitative" } },
        },
      ],
    },
  } as TopLevelSpec;
}

export async function lesionSection(result: ExperimentResult<LesionConfig, LesionData>): Promise<SectionContent> {
  const { data, config } = result;
  const singleFigure: Figure = {
    name: "lesion-single-block",
    svg: await renderVegaLite(singleBlockSpec(data), "lesion-single-block"),
    caption: html`<strong>Test error with one block removed</strong>, mean over seeds. Plain blocks that change the shape (the first block of a stage) cannot be removed and have no point.`,
  };
  const randomFigure: Figure = {
    name: "lesion-random-blocks",
    svg: await renderVegaLite(randomRemovalSpec(data), "lesion-random-blocks"),
    caption: html`<strong>Test error with blocks removed at random</strong> from the blocks that keep their shape, ${config.draws} draws per count, mean over seeds; 0 is the intact net. The dashed line is chance.`,
  };

  const measured: SafeHtml[] = [];
  const summaries: string[] = [];
  for (const comparison of data.comparisons) {
    const { dataset, singleRemovalIncrease, chanceError } = comparison;
    const runs = (residual: boolean) => data.runs.filter((run) => run.dataset === dataset && run.residual === residual);
    const baseline = (residual: boolean) => spread(runs(residual).map((run) => run.baselineError));
    const mostRemoved = (residual: boolean) => spread(runs(residual).map((run) => run.randomRemovalErrors.at(-1)?.meanError ?? Number.NaN));
    const removedCount = data.runs.find((run) => run.dataset === dataset)?.randomRemovalErrors.at(-1)?.removed;
    measured.push(html`<h4>${dataset}</h4><ul>
<li>Intact test error: ${netLabel(config.depth, true)} ${formatPercentSpread(baseline(true))}, ${netLabel(config.depth, false)} ${formatPercentSpread(baseline(false))}; chance is ${formatPercent(chanceError)}.</li>
<li>Removing one block adds on average ${formatPercentSpread(singleRemovalIncrease.residual)} to the residual net's error and ${formatPercentSpread(singleRemovalIncrease.plain)} to the plain net's. ${verdictLabel(singleRemovalIncrease.smaller, "residual hurt less", "plain hurt less")}</li>
${removedCount !== undefined ? html`<li>With ${removedCount} blocks removed at random: residual ${formatPercentSpread(mostRemoved(true))}, plain ${formatPercentSpread(mostRemoved(false))}.</li>` : ""}
</ul>`);
    summaries.push(
      `${dataset}: removing one block adds ${formatPercent(singleRemovalIncrease.residual.mean)} test error to the residual net and ${formatPercent(singleRemovalIncrease.plain.mean)} to the plain net (${verdictWord(singleRemovalIncrease.smaller, "residual hurt less", "plain hurt less")})`,
    );
  }

  const body = html`<p>Remove a block from a trained net at test time: does the net still work? ${netRecipeText(config.recipe, config.seeds)}; the ${config.depth}-layer twins. A removed residual block passes its input on through its shortcut; a removed plain block is replaced by the identity.</p>
${figureBlock(singleFigure, true)}
${figureBlock(randomFigure, true)}
${findings(measured, lesionPaper)}`;
  return { body, figures: [singleFigure, randomFigure], status: "ok", summary: summaries.join(". ") };
}
