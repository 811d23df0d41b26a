// Loss landscapes (Li, Xu, Taylor, Studer and Goldstein 2018): the loss along filter-normalised
// random directions around the trained weights, as 1-D curves and 2-D heat maps.
import type { TopLevelSpec } from "vega-lite";
import type { ExperimentResult } from "../experiments/experiment.js";
import type { LandscapeConfig, LandscapeData } from "../experiments/landscape.js";
import { formatSpread } from "./format.js";
import { html, type SafeHtml } from "./html.js";
import { netRecipeText } from "./recipe-text.js";
import { findings, figureBlock, verdictLabel, verdictWord, type SectionContent } from "./section.js";
import { renderVegaLite, twinScale, type Figure } from "./vega-figure.js";

export const landscapePaper = html`<p>Li et al. 2018 plotted the loss of CIFAR-10 nets along filter-normalised random directions. ResNet-56's surface is smooth and nearly convex around its minimum; the same net with its skip connections removed is chaotic, with many non-convex regions. At 20 layers the two look alike: the plain net's landscape turns chaotic only as depth grows, and skip connections hold that transition off.</p>`;

function curvesSpec(data: LandscapeData): TopLevelSpec {
  const values = data.runs.flatMap((run) =>
    run.alphas.map((alpha, index) => ({ "net depth": run.depth, twin: run.residual ? "residual" : "plain", seed: String(run.seed), alpha, loss: run.losses1d[index] })),
  ).filter((value) => Number.isFinite(value.loss) && value.loss > 0);
  return {
    data: { values },
    facet: { column: { field: "net depth", type: "ordinal", title: null, header: { labelExpr: "'depth ' + datum.value", labelFontWeight: "bold" } } },
    spec: {
      width: 300,
      height: 220,
      mark: { type: "line", strokeWidth: 1.8 },
      encoding: {
        x: { field: "alpha", type: "quantitative", title: "step along the direction (α)" },
        y: { field: "loss", type: "quantitative", title: "training loss (log scale)", scale: { type: "log" } },
        color: { field: "twin", type: "nominal", title: null, scale: twinScale, legend: { orient: "top", direction: "horizontal" } },
        detail: { field: "seed", type: "nominal" },
      },
    },
  } as TopLevelSpec;
}

function heatMapSpec(data: LandscapeData): TopLevelSpec {
  const values = data.runs.flatMap((run) => {
    const grid = run.losses2d;
    if (!grid) return [];
    const axis = grid.map((_, index) => (grid.length === 1 ? 0 : -1 + (2 * index) / (grid.length - 1)));
    return grid.flatMap((row, i) =>
      row.map((loss, j) => ({ net: `${run.residual ? "resnet" : "plain"}-${run.depth}`, twin: run.residual ? "residual" : "plain", depth: run.depth, alpha: axis[j], beta: axis[i], loss })),
    );
  }).filter((value) => Number.isFinite(value.loss) && value.loss > 0);
  const nets = [...new Set(values.sort((a, b) => a.depth - b.depth || (a.twin === "residual" ? -1 : 1)).map((value) => value.net))];
  return {
    data: { values },
    facet: { field: "net", type: "nominal", title: null, sort: nets, columns: 4, header: { labelFontWeight: "bold" } },
    spec: {
      width: 150,
      height: 150,
      mark: { type: "rect" },
      encoding: {
        x: { field: "alpha", type: "ordinal", title: "α", axis: { labels: false, ticks: false } },
        y: { field: "beta", type: "ordinal", title: "β", sort: "descending", axis: { labels: false, ticks: false } },
        color: { field: "loss", type: "quantitative", title: "loss", scale: { type: "log", scheme: "viridis" }, legend: { orient: "right", gradientLength: 150, format: ".3~g" } },
      },
    },
  } as TopLevelSpec;
}

export async function landscapeSection(result: ExperimentResult<LandscapeConfig, LandscapeData>): Promise<SectionContent> {
  const { data, config } = result;
  const curves: Figure = {
    name: "landscape-1d",
    svg: await renderVegaLite(curvesSpec(data), "landscape-1d"),
    caption: html`<strong>Training loss along one random direction</strong>, filter-normalised, on ${config.lossImages} training images; α = 0 is the trained net and each line is one seed.`,
  };
  const figures = [curves];
  const heatMapFigure: Figure[] = data.runs.some((run) => run.losses2d)
    ? [
        {
          name: "landscape-2d",
          svg: await renderVegaLite(heatMapSpec(data), "landscape-2d"),
          caption: html`<strong>Training loss on a plane</strong> spanned by two filter-normalised directions, α and β from −1 to 1 on a ${config.points2d}×${config.points2d} grid, first seed; the trained net is at the centre. Dark is low loss, on a log colour scale shared by all panels.`,
        },
      ]
    : [];
  figures.push(...heatMapFigure);

  const measured: SafeHtml[] = [];
  const summaries: string[] = [];
  for (const comparison of data.comparisons) {
    const { depth, nonConvexFraction } = comparison;
    measured.push(html`<h4>depth ${depth}</h4><p>Share of points on the 1-D curve where it bends downward (negative second difference): residual ${formatSpread(nonConvexFraction.residual)}, plain ${formatSpread(nonConvexFraction.plain)}. ${verdictLabel(nonConvexFraction.smoother, "residual smoother", "plain smoother")}</p>`);
    summaries.push(`depth ${depth} ${verdictWord(nonConvexFraction.smoother, "residual smoother", "plain smoother")}`);
  }

  const body = html`<p>What does the loss look like around the trained weights? ${netRecipeText(config.recipe, config.seeds)}, on <code>${config.dataset}</code> at depths ${config.depths.join(" and ")}. Each direction is random, with every filter scaled to the norm of the matching trained filter, so that nets of different scale compare.</p>
${figureBlock(curves, true)}
${heatMapFigure.map((figure) => figureBlock(figure, true))}
${findings(measured, landscapePaper)}`;
  return { body, figures, status: "ok", summary: `share of non-convex points on the 1-D curve: ${summaries.join("; ")}` };
}
