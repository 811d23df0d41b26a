// Small pieces for hand-written SVG figures: text escaping, number formatting and axis ticks.

/** Escapes text for SVG character data and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => {
    switch (character) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      default:
        return "&#39;";
    }
  });
}

/** Formats a coordinate with at most two decimals, which is finer than a screen pixel. */
export function coordinate(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Formats a label number with `digits` significant digits, in exponent form below 1e-3 and from 1e4 up. */
export function formatLabel(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e4) return value.toExponential(digits - 1).replace(/\.?0+e/, "e");
  return String(Number(value.toPrecision(digits)));
}

/** Returns about `count` evenly spaced round values (steps of 1, 2 or 5 times a power of ten) within [low, high]. */
export function linearTicks(low: number, high: number, count = 5): number[] {
  if (!(high > low)) return [low];
  const rawStep = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(rawStep));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rawStep)!;

  const ticks: number[] = [];
  for (let tick = Math.ceil(low / step) * step; tick <= high + step * 1e-9; tick += step) {
    // Rounding to the step's precision removes float noise such as 0.30000000000000004.
    ticks.push(Number(tick.toPrecision(12)));
  }
  return ticks;
}

/** Wraps SVG elements in a standalone document with a white background and a system font. */
export function svgDocument(width: number, height: number, elements: readonly string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...elements,
    "</svg>",
    "",
  ].join("\n");
}
