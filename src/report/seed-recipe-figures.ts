// The seed recipe's figures: loss curves and the confusion matrix, as Vega-Lite specs.
import type { TopLevelSpec } from "vega-lite";
import { plainColor, residualColor } from "./vega-figure.js";
import type { SeedRecipeResult } from "./run-results.js";

/** Points per series above which the loss curves show every k-th batch; the SVG stays small and the curve's shape is unchanged at page width. */
export const maxCurvePoints = 1500;

const seriesNames = ["train loss per batch", "train loss, smoothed", "validation loss after each epoch"];

/** Keeps every k-th value with its 1-based batch number, k chosen so that at most maxCurvePoints remain, plus the last value. */
export function thinSeries(values: readonly number[]): { batch: number; value: number }[] {
  const stride = Math.max(1, Math.ceil(values.length / maxCurvePoints));
  const points: { batch: number; value: number }[] = [];
  for (let index = 0; index < values.length; index += stride) points.push({ batch: index + 1, value: values[index] });
  if (values.length > 0 && (values.length - 1) % stride !== 0) points.push({ batch: values.length, value: values[values.length - 1] });
  return points;
}

/**
 * Plots the per-batch losses (raw and smoothed) with the validation loss at the end of each
 * epoch. A result without per-batch losses gets the epoch table's train and validation losses.
 */
export function lossCurvesSpec(result: SeedRecipeResult): TopLevelSpec {
  const losses = result.losses ?? [];
  const smooth = result.smoothLosses ?? [];
  const rows = result.rows;
  const perBatch = losses.length > 0;
  const batchesPerEpoch = perBatch && rows.length > 0 ? losses.length / rows.length : 1;

  const values = perBatch
    ? [
        ...thinSeries(losses).map((point) => ({ x: point.batch, loss: point.value, series: seriesNames[0] })),
        ...thinSeries(smooth).map((point) => ({ x: point.batch, loss: point.value, series: seriesNames[1] })),
        ...rows.map((row) => ({ x: Math.round((row.epoch + 1) * batchesPerEpoch), loss: row.validLoss, series: seriesNames[2] })),
      ]
    : [
        ...rows.map((row) => ({ x: row.epoch + 1, loss: row.trainLoss, series: seriesNames[1] })),
        ...rows.map((row) => ({ x: row.epoch + 1, loss: row.validLoss, series: seriesNames[2] })),
      ];
  const positive = values.filter((value) => Number.isFinite(value.loss) && value.loss > 0);
  const lossValues = positive.map((value) => value.loss);
  const logScale = lossValues.length > 0 && Math.max(...lossValues) / Math.min(...lossValues) > 30;

  const color = {
    field: "series",
    type: "nominal",
    title: null,
    scale: { domain: seriesNames, range: ["#a1a1aa", residualColor, plainColor] },
    legend: { orient: "top", direction: "horizontal" },
  } as const;
  const x = { field: "x", type: "quantitative", title: perBatch ? "batch" : "epoch", axis: perBatch ? {} : { tickMinStep: 1 } } as const;
  const y = { field: "loss", type: "quantitative", title: "cross-entropy loss", scale: logScale ? { type: "log" } : { zero: true } } as const;

  return {
    width: 640,
    height: 280,
    data: { values: positive },
    layer: [
      {
        transform: [{ filter: `datum.series !== '${seriesNames[2]}'` }],
        mark: { type: "line", strokeWidth: 1.5, clip: true },
        encoding: { x, y, color, opacity: { condition: { test: `datum.series === '${seriesNames[0]}'`, value: 0.6 }, value: 1 } },
      },
      {
        transform: [{ filter: `datum.series === '${seriesNames[2]}'` }],
        mark: { type: "line", point: { size: 50, filled: true }, strokeWidth: 2 },
        encoding: { x, y, color },
      },
    ],
  } as TopLevelSpec;
}

/** Counts as a heat map, rows the actual class and columns the predicted one, with each count written in its cell. */
export function confusionMatrixSpec(matrix: readonly (readonly number[])[], classNames: readonly string[]): TopLevelSpec {
  const values = matrix.flatMap((row, actual) =>
    row.map((count, predicted) => ({ actual: classNames[actual] ?? String(actual), predicted: classNames[predicted] ?? String(predicted), count })),
  );
  const largest = Math.max(1, ...values.map((value) => value.count));
  const order = classNames.length > 0 ? [...classNames] : matrix.map((_, index) => String(index));
  const x = { field: "predicted", type: "ordinal", sort: order, title: "predicted", axis: { labelAngle: 0, orient: "top" } } as const;
  const y = { field: "actual", type: "ordinal", sort: order, title: "actual" } as const;
  const cell = 34;

  return {
    width: cell * order.length,
    height: cell * order.length,
    data: { values },
    layer: [
      {
        mark: { type: "rect", stroke: "white", strokeWidth: 1 },
        encoding: {
          x,
          y,
          color: { field: "count", type: "quantitative", scale: { type: "sqrt", scheme: "blues", domain: [0, largest] }, legend: null },
        },
      },
      {
        mark: { type: "text", fontSize: 10 },
        encoding: {
          x,
          y,
          text: { field: "count", type: "quantitative" },
          color: { condition: { test: `datum.count > ${largest * 0.35}`, value: "white" }, value: "#18181b" },
        },
      },
    ],
  } as TopLevelSpec;
}
