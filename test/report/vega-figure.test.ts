import assert from "node:assert/strict";
import { test } from "node:test";
import * as vega from "vega";
import type { TopLevelSpec } from "vega-lite";
import { assertInertSvg, namespaceSvgIds, renderVegaLite } from "../../src/report/vega-figure.js";

const lineSpec: TopLevelSpec = {
  data: { values: [{ x: 1, y: 2, series: "<script>alert(1)</script>" }, { x: 2, y: 1, series: "a & b" }] },
  mark: "line",
  encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" }, color: { field: "series", type: "nominal" } },
};

test("renderVegaLite measures text without canvas", async () => {
  const svg = (await renderVegaLite(lineSpec, "line")).markup;

  assert.match(svg, /^<svg [^>]*viewBox="0 0 \d+ \d+"/);
  assert.match(svg, /<text[^>]*>a &amp; b<\/text>/);
  // Without the optional canvas package vega measures text with its estimate, which reads no font.
  await assert.rejects(import("canvas" as string));
  // vega's typings leave textMetrics out; it is exported at run time.
  const { textMetrics } = vega as unknown as { textMetrics: { width: unknown; estimateWidth: unknown } };
  assert.equal(textMetrics.width, textMetrics.estimateWidth);
});

test("renderVegaLite escapes data strings", async () => {
  const svg = (await renderVegaLite(lineSpec, "line")).markup;

  assert.equal(svg.includes("<script"), false);
  assert.ok(svg.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
});

test("renderVegaLite never fetches data", async () => {
  const original = globalThis.fetch;
  const fetched: string[] = [];
  globalThis.fetch = (async (input: string | URL | Request) => {
    fetched.push(String(input));
    throw new Error("no network in tests");
  }) as typeof fetch;
  try {
    const spec: TopLevelSpec = { data: { url: "https://example.com/data.json" }, mark: "point", encoding: { x: { field: "x", type: "quantitative" } } };
    await renderVegaLite(spec, "remote").catch(() => undefined);
  } finally {
    globalThis.fetch = original;
  }
  assert.deepEqual(fetched, []);
});

test("assertInertSvg rejects active content", () => {
  assert.throws(() => assertInertSvg(`<svg><script>alert(1)</script></svg>`, "f"), /unexpected SVG element <script>/);
  assert.throws(() => assertInertSvg(`<svg><foreignObject></foreignObject></svg>`, "f"), /foreignObject/);
  assert.throws(() => assertInertSvg(`<svg><rect onclick="alert(1)"/></svg>`, "f"), /attribute onclick/);
  assert.throws(() => assertInertSvg(`<svg><a href="https://example.com"></a></svg>`, "f"), /element <a>/);
  assert.throws(() => assertInertSvg(`<svg><rect fill="url(https://example.com/p.svg#x)"/></svg>`, "f"), /refers outside/);
});

test("assertInertSvg accepts drawing and local references", () => {
  const svg = `<svg><defs><clipPath id="c"><rect width="1" height="1"/></clipPath></defs><g clip-path="url(#c)" aria-label="url(http://x)"><text>onload=1</text></g></svg>`;
  assert.equal(assertInertSvg(svg, "f"), svg);
});

test("namespaceSvgIds prefixes ids and their references", () => {
  const svg = `<clipPath id="clip1"></clipPath><g clip-path="url(#clip1)"></g>`;
  assert.equal(namespaceSvgIds(svg, "fig"), `<clipPath id="fig-clip1"></clipPath><g clip-path="url(#fig-clip1)"></g>`);
});
