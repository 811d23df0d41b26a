// The hardest test digits as one SVG: each 28x28 image drawn as grey runs of pixels (dark ink
// on white, as fastai shows MNIST), with its prediction and loss underneath.
import { html, type SafeHtml } from "./html.js";
import type { TopLoss } from "./run-results.js";

const side = 28;
/** Grey levels the pixels are rounded to; 8 keeps each image to at most 8 paths. */
const greyLevels = 8;

/** Paths that draw one image at 1 unit per pixel, one path per grey level, horizontal runs merged. */
function imagePaths(pixels: readonly number[]): SafeHtml[] {
  const runs: string[][] = Array.from({ length: greyLevels + 1 }, () => []);
  for (let row = 0; row < side; row++) {
    let column = 0;
    while (column < side) {
      const level = greyLevel(pixels[row * side + column]);
      let end = column + 1;
      while (end < side && greyLevel(pixels[row * side + end]) === level) end += 1;
      if (level > 0) runs[level].push(`M${column} ${row}h${end - column}v1h${column - end}z`);
      column = end;
    }
  }
  return runs.flatMap((path, level) => {
    if (level === 0 || path.length === 0) return [];
    const shade = Math.round(255 * (1 - level / greyLevels));
    return [html`<path d="${path.join("")}" fill="rgb(${shade},${shade},${shade})"/>`];
  });
}

function greyLevel(value: number): number {
  const clamped = Number.isFinite(value) ? Math.min(255, Math.max(0, value)) : 0;
  return Math.round((clamped / 255) * greyLevels);
}

/** True when the item carries a full 28x28 image. */
export function hasImage(item: TopLoss): boolean {
  return Array.isArray(item.pixels) && item.pixels.length === side * side;
}

/**
 * Draws the items in a grid, `columns` wide. Under each image: "predicted / actual", then
 * "loss / probability", the order of fastai's plot_top_losses titles.
 */
export function digitGridSvg(items: readonly TopLoss[], columns = 8): SafeHtml {
  const scale = 3;
  const cellWidth = 92;
  const imageSize = side * scale;
  const cellHeight = imageSize + 40;
  const rows = Math.ceil(items.length / columns);
  const width = cellWidth * Math.min(columns, items.length);
  const height = cellHeight * rows;

  const cells = items.map((item, index) => {
    const left = (index % columns) * cellWidth + (cellWidth - imageSize) / 2;
    const top = Math.floor(index / columns) * cellHeight;
    const centre = left + imageSize / 2;
    const image = hasImage(item) ? imagePaths(item.pixels) : [];
    return html`<g>
<rect x="${left - 0.5}" y="${top + 0.5}" width="${imageSize + 1}" height="${imageSize + 1}" fill="white" stroke="#d4d4d8"/>
<g transform="translate(${left},${top + 1}) scale(${scale})" shape-rendering="crispEdges">${image}</g>
<text x="${centre}" y="${top + imageSize + 17}" text-anchor="middle" font-size="12" fill="#18181b">${item.predicted} / ${item.actual}</text>
<text x="${centre}" y="${top + imageSize + 32}" text-anchor="middle" font-size="11" fill="#52525b">${item.loss.toFixed(2)} / ${item.probability.toFixed(2)}</text>
</g>`;
  });

  return html`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="The test digits with the highest loss" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif">
<rect width="${width}" height="${height}" fill="white"/>
${cells}
</svg>`;
}
