import assert from "node:assert/strict";
import { test } from "node:test";
import { digitGridSvg, hasImage } from "../../src/report/digit-grid.js";

function item(actual: string, value: number) {
  return { index: 0, actual, predicted: "7", loss: 3.21, probability: 0.954, pixels: Array.from({ length: 784 }, (_, i) => (i % 28 < 14 ? value : 0)) };
}

test("digitGridSvg draws one path per grey level", () => {
  const svg = digitGridSvg([item("1", 255)]).markup;

  // Left half ink at full strength: one path of 28 runs, each 14 pixels wide.
  const paths = svg.match(/<path d="[^"]*" fill="rgb\(0,0,0\)"\/>/g) ?? [];
  assert.equal(paths.length, 1);
  assert.equal((paths[0].match(/h14/g) ?? []).length, 28);
});

test("digitGridSvg labels predicted / actual and loss / probability", () => {
  const svg = digitGridSvg([item("1", 128)]).markup;

  assert.match(svg, />7 \/ 1</);
  assert.match(svg, />3\.21 \/ 0\.95</);
});

test("digitGridSvg escapes class names", () => {
  const svg = digitGridSvg([item("<img src=x onerror=alert(1)>", 128)]).markup;

  assert.equal(svg.includes("<img"), false);
  assert.ok(svg.includes("&lt;img src=x onerror=alert(1)&gt;"));
});

test("hasImage needs 784 pixels", () => {
  assert.equal(hasImage(item("1", 1)), true);
  assert.equal(hasImage({ ...item("1", 1), pixels: [1, 2, 3] }), false);
});
