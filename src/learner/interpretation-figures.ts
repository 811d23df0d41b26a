// SVG figures of a ClassificationInterpretation: the confusion matrix as a shaded grid with
// counts, and the highest-loss images drawn pixel by pixel in grey levels.
import type { LossItem } from "./interpretation.js";
import { coordinate, escapeXml, svgDocument } from "./svg.js";

// matplotlib's "Blues" colour map, which fastai's plot_confusion_matrix uses, sampled at 9 stops.
const blues: [number, number, number][] = [
  [247, 251, 255],
  [222, 235, 247],
  [198, 219, 239],
  [158, 202, 225],
  [107, 174, 214],
  [66, 146, 198],
  [33, 113, 181],
  [8, 81, 156],
  [8, 48, 107],
];

/** Maps a fraction in [0, 1] to a colour of the Blues map, linearly between its stops. */
function bluesColor(fraction: number): string {
  const position = Math.min(Math.max(fraction, 0), 1) * (blues.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, blues.length - 1);
  const weight = position - lower;
  const channels = blues[lower].map((value, channel) => Math.round(value + weight * (blues[upper][channel] - value)));
  return `rgb(${channels.join(",")})`;
}

// Estimated width of one character of the 12px sans-serif labels, to leave room for class names.
const characterWidth = 7;

/** Draws a confusion matrix (row = actual, column = predicted) with its counts and class names. */
export function confusionMatrixSvg(matrix: readonly (readonly number[])[], classNames: readonly string[]): string {
  const classCount = classNames.length;
  const cell = 36;
  const labelRoom = Math.max(...classNames.map((name) => name.length)) * characterWidth + 10;
  const left = 30 + labelRoom;
  const top = 40;
  const gridSize = cell * classCount;
  const width = left + gridSize + 20;
  const height = top + gridSize + labelRoom + 30;
  const largest = Math.max(1, ...matrix.flat());

  const elements: string[] = [`<text x="${coordinate(left + gridSize / 2)}" y="24" text-anchor="middle" font-size="14">Confusion matrix</text>`];
  matrix.forEach((row, actual) => {
    row.forEach((count, predicted) => {
      const x = left + predicted * cell;
      const y = top + actual * cell;
      // Dark cells get white text, as matplotlib's threshold at half the largest count.
      const textColor = count > largest / 2 ? "white" : "black";
      elements.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${bluesColor(count / largest)}"/>`);
      elements.push(`<text x="${x + cell / 2}" y="${y + cell / 2}" text-anchor="middle" dominant-baseline="middle" fill="${textColor}">${count}</text>`);
    });
  });

  classNames.forEach((name, index) => {
    const center = index * cell + cell / 2;
    const label = escapeXml(name);
    elements.push(`<text x="${left - 6}" y="${top + center}" text-anchor="end" dominant-baseline="middle">${label}</text>`);
    const labelX = left + center;
    const labelY = top + gridSize + 6;
    elements.push(`<text x="${labelX}" y="${labelY}" text-anchor="end" dominant-baseline="middle" transform="rotate(-90 ${labelX} ${labelY})">${label}</text>`);
  });
  elements.push(`<text x="14" y="${coordinate(top + gridSize / 2)}" text-anchor="middle" transform="rotate(-90 14 ${coordinate(top + gridSize / 2)})">Actual</text>`);
  elements.push(`<text x="${coordinate(left + gridSize / 2)}" y="${height - 10}" text-anchor="middle">Predicted</text>`);
  return svgDocument(width, height, elements);
}

/**
 * Draws each item's image (uint8 grey levels, row-major `height` x `width`) as a grid of
 * 4-pixel squares, captioned "predicted/actual" and "loss / probability" as fastai's
 * plot_top_losses, three images a row.
 */
export function topLossesSvg(items: readonly LossItem[], images: readonly Uint8Array[], { height, width }: { height: number; width: number }): string {
  if (images.length !== items.length) throw new RangeError(`topLossesSvg: expected one image per item, got ${images.length} images for ${items.length} items`);

  const scale = 4;
  const columns = 3;
  const panelWidth = Math.max(width * scale, 150) + 20;
  const panelHeight = height * scale + 50;
  const top = 40;
  const rows = Math.ceil(items.length / columns);
  const figureWidth = Math.max(columns * panelWidth, 300);
  const figureHeight = top + Math.max(rows, 1) * panelHeight;

  const elements: string[] = [`<text x="${coordinate(figureWidth / 2)}" y="24" text-anchor="middle" font-size="14">Prediction/Actual/Loss/Probability</text>`];
  items.forEach((item, index) => {
    const originX = (index % columns) * panelWidth + (panelWidth - width * scale) / 2;
    const originY = top + Math.floor(index / columns) * panelHeight;
    const pixels = images[index];

    // A black square first, then only the pixels that are not black: MNIST digits are mostly background.
    const squares = [`<rect width="${width * scale}" height="${height * scale}" fill="black"/>`];
    for (let row = 0; row < height; row++) {
      for (let column = 0; column < width; column++) {
        const level = pixels[row * width + column];
        if (level === 0) continue;
        squares.push(`<rect x="${column * scale}" y="${row * scale}" width="${scale}" height="${scale}" fill="rgb(${level},${level},${level})"/>`);
      }
    }
    elements.push(`<g transform="translate(${coordinate(originX)} ${originY})">`, ...squares, "</g>");

    const captionX = coordinate(originX + (width * scale) / 2);
    const captionY = originY + height * scale;
    elements.push(`<text x="${captionX}" y="${captionY + 16}" text-anchor="middle">${escapeXml(`${item.predicted}/${item.actual}`)}</text>`);
    elements.push(`<text x="${captionX}" y="${captionY + 32}" text-anchor="middle">${escapeXml(`${item.loss.toFixed(2)} / ${item.probability.toFixed(2)}`)}</text>`);
  });
  return svgDocument(figureWidth, figureHeight, elements);
}
