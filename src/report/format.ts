// Number formats shared by the page's text, tables and the terminal summary, so that the same
// value reads the same everywhere.
import type { Spread } from "../experiments/experiment.js";

/** Formats a value with `digits` significant digits and no trailing zeros ("0.412", "0.0031", "12.5"), or "n/a" when it is not finite. */
export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return "n/a";
  if (value === 0) return "0";
  return String(Number(value.toPrecision(digits)));
}

/** Formats a fraction as a percentage with one decimal ("0.1234" -> "12.3%"). */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return "n/a";
  return `${(fraction * 100).toFixed(1)}%`;
}

/** Returns the decimals that give `value` three significant digits, from 0 to 6. */
export function spreadDecimals(value: number): number {
  if (!Number.isFinite(value) || value === 0) return 3;
  return Math.min(6, Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value)))));
}

/**
 * Formats mean ± sample standard deviation over seeds, both to the decimals of the mean's three
 * significant digits ("1.49 ± 0.01"). Below 1e-3 and from 1e4 up both are in exponent form
 * ("1.23e-7 ± 4.5e-8").
 */
export function formatSpread(value: Spread): string {
  if (value.n === 0 || !Number.isFinite(value.mean)) return "n/a";
  const magnitude = Math.abs(value.mean);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e4)) {
    const std = Number.isFinite(value.std) ? value.std.toExponential(1) : "n/a";
    return `${value.mean.toExponential(2)} ± ${std}`;
  }
  const decimals = spreadDecimals(value.mean);
  const std = Number.isFinite(value.std) ? value.std.toFixed(decimals) : "n/a";
  return `${value.mean.toFixed(decimals)} ± ${std}`;
}

/** Formats mean ± standard deviation of a fraction in percent ("12.3% ± 0.4%"). */
export function formatPercentSpread(value: Spread): string {
  if (value.n === 0 || !Number.isFinite(value.mean)) return "n/a";
  return `${formatPercent(value.mean)} ± ${formatPercent(value.std)}`;
}

/** Formats the seed range of a spread ("0.398 to 0.427, 2 seeds"). */
export function formatRange(value: Spread): string {
  if (value.n === 0) return "no seeds";
  const seeds = value.n === 1 ? "1 seed" : `${value.n} seeds`;
  return `${formatNumber(value.min)} to ${formatNumber(value.max)}, ${seeds}`;
}

/** Formats seconds as fastai's table shows them (mm:ss), or as h:mm:ss from an hour up. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "n/a";
  const total = Math.round(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  const twoDigits = (value: number) => String(value).padStart(2, "0");
  return hours > 0 ? `${hours}:${twoDigits(minutes)}:${twoDigits(rest)}` : `${twoDigits(minutes)}:${twoDigits(rest)}`;
}

/** Joins words as prose: "a", "a and b", "a, b and c". */
export function listInProse(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** "resnet-20" or "plain-20", the names the experiments give their nets. */
export function netLabel(depth: number, residual: boolean): string {
  return `${residual ? "resnet" : "plain"}-${depth}`;
}

/** Formats a wall time in words: "48 s", "12 min 5 s", "1 h 3 min". */
export function formatWallTime(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "n/a";
  const total = Math.round(seconds);
  if (total < 60) return `${total} s`;
  if (total < 3600) return `${Math.floor(total / 60)} min ${total % 60} s`;
  return `${Math.floor(total / 3600)} h ${Math.round((total % 3600) / 60)} min`;
}
