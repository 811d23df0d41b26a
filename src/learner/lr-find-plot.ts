// The LR finder's plot as a standalone SVG: smoothed loss against the learning rate on a log
// axis, with the suggestions marked, as fastai's plot_lr_find draws it.
import { writeFileSync } from "node:fs";
import type { LrFindResult, SuggestionName } from "./lr-finder.js";
import { coordinate, escapeXml, formatLabel, linearTicks, svgDocument } from "./svg.js";

/** Options of lrFindPlotSvg. */
export interface LrFindPlotOptions {
  /** Points left off the end of the curve, where the loss shoots up. Default 5, as fastai. */
  skipEnd?: number;
  /** Figure width in pixels. Default 640. */
  width?: number;
  /** Figure height in pixels. Default 420. */
  height?: number;
}

// matplotlib's default colour cycle: the curve takes the first, the suggestions the next ones.
const curveColor = "#1f77b4";
const suggestionColors: Record<SuggestionName, string> = { valley: "#ff7f0e", slide: "#2ca02c", minimum: "#d62728", steep: "#9467bd" };
const suggestionOrder: SuggestionName[] = ["valley", "slide", "minimum", "steep"];

/** Draws the finder's curve and suggestions as an SVG document. */
export function lrFindPlotSvg(result: LrFindResult, { skipEnd = 5, width = 640, height = 420 }: LrFindPlotOptions = {}): string {
  const plottedCount = Math.max(0, result.lrs.length - skipEnd);
  const curve = result.lrs
    .slice(0, plottedCount)
    .map((lr, i) => ({ lr, loss: result.losses[i] }))
    .filter((point) => point.lr > 0 && Number.isFinite(point.loss));
  const marks = suggestionOrder
    .map((name) => ({ name, value: result[name], point: result.points[name] }))
    .filter(({ point }) => point.lr > 0 && Number.isFinite(point.loss));

  const left = 70;
  const right = width - 20;
  const top = 36;
  const bottom = height - 50;
  const elements: string[] = [
    `<text x="${coordinate(width / 2)}" y="20" text-anchor="middle" font-size="14">Learning rate finder</text>`,
    `<text x="${coordinate((left + right) / 2)}" y="${height - 10}" text-anchor="middle">Learning Rate</text>`,
    `<text x="16" y="${coordinate((top + bottom) / 2)}" text-anchor="middle" transform="rotate(-90 16 ${coordinate((top + bottom) / 2)})">Loss</text>`,
    `<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#333"/>`,
  ];

  const all = [...curve, ...marks.map(({ point }) => point)];
  if (all.length === 0) {
    elements.push(`<text x="${coordinate((left + right) / 2)}" y="${coordinate((top + bottom) / 2)}" text-anchor="middle">no finite loss recorded</text>`);
    return svgDocument(width, height, elements);
  }

  // Axis ranges: log10 of the rates, and the losses with 5% room above and below.
  const logLrs = all.map((point) => Math.log10(point.lr));
  let logLow = Math.min(...logLrs);
  let logHigh = Math.max(...logLrs);
  if (logHigh === logLow) [logLow, logHigh] = [logLow - 0.5, logHigh + 0.5];
  const lossValues = all.map((point) => point.loss);
  const lossSpan = Math.max(...lossValues) - Math.min(...lossValues) || 1;
  const lossLow = Math.min(...lossValues) - 0.05 * lossSpan;
  const lossHigh = Math.max(...lossValues) + 0.05 * lossSpan;
  const x = (lr: number) => left + ((Math.log10(lr) - logLow) / (logHigh - logLow)) * (right - left);
  const y = (loss: number) => bottom - ((loss - lossLow) / (lossHigh - lossLow)) * (bottom - top);

  // One tick per power of ten inside the range.
  for (let power = Math.ceil(logLow); power <= Math.floor(logHigh); power++) {
    const tickX = coordinate(x(10 ** power));
    elements.push(`<line x1="${tickX}" y1="${bottom}" x2="${tickX}" y2="${bottom + 5}" stroke="#333"/>`);
    elements.push(`<text x="${tickX}" y="${bottom + 18}" text-anchor="middle">1e${power}</text>`);
  }
  for (const tick of linearTicks(lossLow, lossHigh)) {
    const tickY = coordinate(y(tick));
    elements.push(`<line x1="${left - 5}" y1="${tickY}" x2="${left}" y2="${tickY}" stroke="#333"/>`);
    elements.push(`<text x="${left - 8}" y="${tickY}" text-anchor="end" dominant-baseline="middle">${escapeXml(formatLabel(tick))}</text>`);
  }

  const polyline = curve.map((point) => `${coordinate(x(point.lr))},${coordinate(y(point.loss))}`).join(" ");
  elements.push(`<polyline points="${polyline}" fill="none" stroke="${curveColor}" stroke-width="1.5"/>`);

  marks.forEach(({ name, value, point }, i) => {
    const color = suggestionColors[name];
    elements.push(`<circle cx="${coordinate(x(point.lr))}" cy="${coordinate(y(point.loss))}" r="5" fill="${color}"/>`);
    const legendY = top + 16 + 18 * i;
    elements.push(`<circle cx="${right - 150}" cy="${legendY}" r="5" fill="${color}"/>`);
    elements.push(`<text x="${right - 140}" y="${legendY}" dominant-baseline="middle">${escapeXml(`${name}: ${formatLabel(value)}`)}</text>`);
  });
  return svgDocument(width, height, elements);
}

/** Writes the finder's plot to `file` as SVG. */
export function writeLrFindPlot(result: LrFindResult, file: string, options: LrFindPlotOptions = {}): void {
  writeFileSync(file, lrFindPlotSvg(result, options));
}
