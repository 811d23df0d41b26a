// Vega-Lite specs rendered to SVG strings in Node, for inlining into the page. Every figure's
// data is inline, and the loader rejects every load, so rendering never touches the network or
// the file system. Without the optional `canvas` package (not a dependency), vega measures
// text with its built-in width estimate, so no font file is read either.
import { parse, View, type Loader } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { SafeHtml } from "./html.js";

/** A figure of the page: inlined in index.html and written to figures/NAME.svg. */
export interface Figure {
  /** File-name-safe identifier, unique within the page. */
  name: string;
  svg: SafeHtml;
  /** Caption shown under the figure. */
  caption: SafeHtml;
}

/** The colours of the two twins, shared by the charts and the block diagrams. */
export const residualColor = "#c2410c";
export const plainColor = "#1d4ed8";

export const twinScale = { domain: ["residual", "plain"], range: [residualColor, plainColor] };

/** Two moments of a measurement in one panel: the first dashed, the second solid. */
export function momentDash(first: string, second: string) {
  return { field: "moment", type: "nominal", title: null, sort: [first, second], scale: { domain: [first, second], range: [[5, 3], [1, 0]] }, legend: { orient: "top", direction: "horizontal", symbolStrokeWidth: 2, symbolSize: 300 } } as const;
}

const fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

const theme = {
  font: fontFamily,
  background: "white",
  view: { stroke: "#d4d4d8" },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal", gridColor: "#e4e4e7", domainColor: "#71717a", tickColor: "#71717a" },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal", labelLimit: 0 },
  header: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: "normal" },
  title: { fontSize: 13, fontWeight: "normal", anchor: "start" },
} as const;

function rejectLoad(uri: string): Promise<never> {
  return Promise.reject(new Error(`report figures load nothing; a spec asked for '${uri}'`));
}

const offlineLoader: Loader = {
  load: (uri) => rejectLoad(uri),
  sanitize: (uri) => rejectLoad(uri),
  http: (uri) => rejectLoad(uri),
  file: (filename) => rejectLoad(filename),
};

/** Renders a Vega-Lite spec to a standalone SVG document, checked to contain nothing active. */
export async function renderVegaLite(spec: TopLevelSpec, name: string): Promise<SafeHtml> {
  const vegaSpec = compile(spec, { config: theme as never }).spec;
  const view = new View(parse(vegaSpec), { renderer: "none", loader: offlineLoader, logLevel: 0 });
  try {
    const svg = await view.toSVG();
    return new SafeHtml(namespaceSvgIds(assertInertSvg(svg, name), name));
  } finally {
    view.finalize();
  }
}

const allowedElements = new Set(["svg", "g", "path", "rect", "line", "text", "tspan", "title", "desc", "defs", "clipPath", "circle", "ellipse", "polygon", "polyline", "marker", "linearGradient", "radialGradient", "stop"]);

/**
 * Throws unless the SVG consists of drawing elements only: no script, no foreignObject, no
 * event handler attribute, no link and no reference outside the document. Vega escapes every
 * text it writes; this check keeps that guarantee if a later vega version changes.
 */
export function assertInertSvg(svg: string, name: string): string {
  const tag = /<\/?([A-Za-z][\w:-]*)([^>]*)>/g;
  for (const match of svg.matchAll(tag)) {
    const [, element, attributes] = match;
    if (!allowedElements.has(element)) throw new Error(`figure ${name}: unexpected SVG element <${element}>`);
    const attribute = /([\w:-]+)\s*=\s*"([^"]*)"/g;
    for (const [, attributeName, value] of attributes.matchAll(attribute)) {
      const lowered = attributeName.toLowerCase();
      if (lowered.startsWith("on") || lowered.endsWith("href")) throw new Error(`figure ${name}: unexpected SVG attribute ${attributeName}`);
      const describesOnly = lowered.startsWith("aria-") || lowered === "role" || lowered === "class";
      if (!describesOnly && /url\(\s*(?!#)/i.test(value)) throw new Error(`figure ${name}: SVG attribute ${attributeName} refers outside the document`);
    }
  }
  return svg;
}

/** Prefixes every id and every url(#id) reference, so that inline SVGs with different prefixes share no id. */
export function namespaceSvgIds(svg: string, prefix: string): string {
  return svg.replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`).replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`);
}
