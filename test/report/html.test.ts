import assert from "node:assert/strict";
import { test } from "node:test";
import { escapeHtml, html, joinHtml, SafeHtml } from "../../src/report/html.js";

test("escapeHtml escapes the five special characters", () => {
  assert.equal(escapeHtml(`<a href="x">Tom & Jerry's</a>`), "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
});

test("html escapes interpolated strings", () => {
  const name = "<script>alert(1)</script>";
  assert.equal(html`<p>${name}</p>`.markup, "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
});

test("html escapes inside attributes", () => {
  const value = `"><img src=x onerror=alert(1)>`;
  assert.equal(html`<td title="${value}">`.markup, `<td title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">`);
});

test("html keeps SafeHtml and joins arrays", () => {
  const items = ["a<b", html`<em>c</em>`, ["d", html`<br>`]];
  assert.equal(html`<p>${items}</p>`.markup, "<p>a&lt;b<em>c</em>d<br></p>");
  assert.ok(html`x` instanceof SafeHtml);
});

test("html drops null, undefined and false", () => {
  assert.equal(html`[${null}${undefined}${false}${0}]`.markup, "[0]");
});

test("joinHtml escapes the separator and the pieces", () => {
  assert.equal(joinHtml(["<a>", html`<b>`], " & ").markup, "&lt;a&gt; &amp; <b>");
});
