import assert from "node:assert/strict";
import { test } from "node:test";
import { escapeXml, formatLabel, linearTicks, svgDocument } from "../../src/learner/svg.js";

test("escapeXml escapes markup characters", () => {
  assert.equal(escapeXml(`<T-shirt & "top"> 'x'`), "&lt;T-shirt &amp; &quot;top&quot;&gt; &#39;x&#39;");
});

test("formatLabel uses exponents at extremes", () => {
  assert.equal(formatLabel(0.0229086), "0.0229");
  assert.equal(formatLabel(1e-4), "1e-4");
  assert.equal(formatLabel(2.5e-7), "2.5e-7");
  assert.equal(formatLabel(123456), "1.23e+5");
  assert.equal(formatLabel(0), "0");
});

test("linearTicks steps by 1, 2 or 5", () => {
  assert.deepEqual(linearTicks(2.28, 2.41), [2.3, 2.35, 2.4]);
  assert.deepEqual(linearTicks(0, 10), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(linearTicks(3, 3), [3]);
});

test("svgDocument wraps elements", () => {
  const svg = svgDocument(10, 20, ["<circle/>"]);
  assert.match(svg, /^<svg [^>]*width="10" height="20"/);
  assert.match(svg, /<circle\/>\n<\/svg>\n$/);
});
