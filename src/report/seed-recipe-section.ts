// "The notebook's experiment": the seed recipe (ResNet-18 on MNIST, trained the fastai way) with
// its table, loss curves, confusion matrix and hardest test digits.
import { digitGridSvg, hasImage } from "./digit-grid.js";
import { formatDuration, formatNumber, formatPercent, formatWallTime, listInProse } from "./format.js";
import { html, type SafeHtml } from "./html.js";
import type { Loaded, SeedRecipeResult } from "./run-results.js";
import { confusionMatrixSpec, lossCurvesSpec, maxCurvePoints } from "./seed-recipe-figures.js";
import { absentResult, displayPath, figureBlock, quoteShellArgument, type Section } from "./section.js";
import { renderVegaLite, type Figure } from "./vega-figure.js";

const id = "notebook-experiment";
const title = "The notebook's experiment: ResNet-18 on MNIST";
const label = "Notebook experiment";

/** Describes the recipe in prose: "resnet18 ... trained on mnist with fastai's fit(4, 0.001) ...". */
function describeRecipe(recipe: SeedRecipeResult["recipe"]): SafeHtml {
  const fit = recipe.oneCycle ? "fit_one_cycle" : "fit";
  const twin = recipe.plain ? " (its plain twin, every shortcut removed)" : "";
  const trainImages = recipe.trainLimit ? `the first ${recipe.trainLimit.toLocaleString("en-US")} training images of ` : "";
  const validImages = recipe.validLimit ? `, validated on its first ${recipe.validLimit.toLocaleString("en-US")} test images,` : "";
  return html`<code>${recipe.model}</code>${twin}, one input channel and no pretraining, trained on ${trainImages}<code>${recipe.dataset}</code>${validImages} with fastai's <code>${fit}(${recipe.epochs}, ${recipe.lr})</code> at batch size ${recipe.batchSize}, seed ${recipe.seed}`;
}

/** fastai's table: epoch, train_loss, valid_loss, each metric, time. */
function epochTable(result: SeedRecipeResult): SafeHtml {
  const metricNames = [...new Set(result.rows.flatMap((row) => Object.keys(row.metrics ?? {})))];
  const header = ["epoch", "train_loss", "valid_loss", ...metricNames, "time"];
  const rows = result.rows.map(
    (row) => html`<tr><td>${row.epoch}</td><td>${(row.trainLoss ?? Number.NaN).toFixed(6)}</td><td>${(row.validLoss ?? Number.NaN).toFixed(6)}</td>${metricNames.map(
      (name) => html`<td>${(row.metrics?.[name] ?? Number.NaN).toFixed(6)}</td>`,
    )}<td>${formatDuration(row.seconds)}</td></tr>`,
  );
  return html`<table class="fastai"><thead><tr>${header.map((name) => html`<th>${name}</th>`)}</tr></thead><tbody>${rows}</tbody></table>`;
}

/** Lists the off-diagonal cells with the highest counts, as fastai's most_confused does. */
export function mostConfused(matrix: readonly (readonly number[])[], classNames: readonly string[], count: number): { actual: string; predicted: string; times: number }[] {
  const pairs = matrix.flatMap((row, actual) =>
    row.flatMap((times, predicted) => (actual !== predicted && times > 0 ? [{ actual: classNames[actual] ?? String(actual), predicted: classNames[predicted] ?? String(predicted), times }] : [])),
  );
  return pairs.sort((a, b) => b.times - a.times).slice(0, count);
}

export async function seedRecipeSection(loaded: Loaded<SeedRecipeResult>, runsFolder: string): Promise<Section> {
  const runs = displayPath(runsFolder);
  const command = `residual-lab start${runs === "runs" ? "" : ` --runs ${quoteShellArgument(runs)}`}`;
  const absent = (note: Exclude<Loaded<SeedRecipeResult>, { status: "present" }>): Section => {
    // start reuses a result.json it finds, so an unreadable one has to go before the rerun.
    const rerun = note.status === "missing" ? command : `rm ${quoteShellArgument(displayPath(note.file))} && ${command}`;
    const body = html`<p>The notebook this project grew from trains a ResNet-18 on MNIST with fastai and reads its table, its loss curves and its mistakes. <code>residual-lab start</code> does the same from TypeScript.</p>${absentResult(note, runsFolder, rerun)}`;
    const summary = note.status === "missing" ? `not run (${command})` : `unreadable: ${displayPath(note.file)}: ${note.reason}`;
    return { id, title, label, body, figures: [], status: note.status === "missing" ? "not run" : "unreadable", summary };
  };
  if (loaded.status !== "present") return absent(loaded);

  // A file of another version, or one a diverged run wrote (NaN is stored as null), gives a note
  // in place of the section, so the rest of the page is still written.
  try {
    return await presentSection(loaded.value);
  } catch (error) {
    return absent({ status: "unreadable", file: loaded.file, reason: `its data does not have the expected shape (${(error as Error).message})` });
  }
}

async function presentSection(result: SeedRecipeResult): Promise<Section> {
  const last = result.rows.at(-1);
  const figures: Figure[] = [];
  const parts: SafeHtml[] = [];

  parts.push(html`<p>The seed recipe: ${describeRecipe(result.recipe)}. It took ${formatWallTime(result.wallSeconds)}. fastai's table of the run:</p>`);
  parts.push(epochTable(result));

  const matrix = result.confusionMatrix;
  const classNames = result.classNames ?? matrix?.map((_, index) => String(index)) ?? [];
  const testImages = matrix ? matrix.flat().reduce((total, value) => total + value, 0) : null;
  const accuracy = last?.metrics?.accuracy;
  let summary = "no epochs recorded";
  if (last && accuracy !== undefined) {
    const imagesText = testImages ? ` of the ${testImages.toLocaleString("en-US")} test images` : "";
    const epochs = result.rows.length === 1 ? "1 epoch" : `${result.rows.length} epochs`;
    parts.push(html`<p>After ${epochs} the model classifies <strong>${formatPercent(accuracy)}</strong>${imagesText} correctly, an error rate of ${formatPercent(1 - accuracy)}; the final validation loss is ${formatNumber(last.validLoss)}.</p>`);
    summary = `accuracy ${formatPercent(accuracy)} after ${epochs} (valid_loss ${formatNumber(last.validLoss)})`;
  }

  const curves: Figure = {
    name: "seed-recipe-losses",
    svg: await renderVegaLite(lossCurvesSpec(result), "seed-recipe-losses"),
    caption: result.losses?.length
      ? html`<strong>Loss curves.</strong> Training loss of every batch (grey), the same smoothed as fastai's Recorder smooths it (orange), and the validation loss after each epoch (blue).${result.losses.length > maxCurvePoints ? ` Every ${Math.ceil(result.losses.length / maxCurvePoints)}th batch of ${result.losses.length.toLocaleString("en-US")} is drawn.` : ""}`
      : html`<strong>Loss curves.</strong> Training and validation loss after each epoch; this result holds no per-batch losses.`,
  };
  figures.push(curves);
  parts.push(figureBlock(curves, true));

  if (matrix && matrix.length > 0) {
    const confusion: Figure = {
      name: "confusion-matrix",
      svg: await renderVegaLite(confusionMatrixSpec(matrix, classNames), "confusion-matrix"),
      caption: html`<strong>Confusion matrix</strong> on the test set: rows are the actual digit, columns the prediction.`,
    };
    figures.push(confusion);
    const confused = mostConfused(matrix, classNames, 5);
    const confusedText = confused.length
      ? html`<p>The most frequent mistakes: ${listInProse(confused.map((pair) => `${pair.actual} taken for ${pair.predicted} (${pair.times} ${pair.times === 1 ? "time" : "times"})`))}.</p>`
      : html`<p>The model made no mistakes on the test set.</p>`;
    parts.push(html`<div class="figure-beside">${figureBlock(confusion)}<div>${confusedText}</div></div>`);
  }

  const hardest = (result.topLosses ?? []).filter(hasImage);
  if (hardest.length > 0) {
    const digits: Figure = {
      name: "hardest-digits",
      svg: digitGridSvg(hardest),
      caption: html`<strong>The ${hardest.length} test digits with the highest loss.</strong> Under each: predicted / actual, then the loss / the probability the model gave its prediction, as fastai's <code>plot_top_losses</code> labels them.`,
    };
    figures.push(digits);
    parts.push(figureBlock(digits, true));
  }

  return { id, title, label, body: html`${parts}`, figures, status: "ok", summary };
}
