// HTML built from tagged templates: every interpolated value is escaped unless it is already
// SafeHtml, so a string read from a results file can only ever become text on the page.
import { escapeXml } from "../learner/svg.js";

/** Markup that this module built or that a renderer checked. Templates insert it unescaped. */
export class SafeHtml {
  constructor(readonly markup: string) {}

  toString(): string {
    return this.markup;
  }
}

/** A value that a template may interpolate. Arrays are concatenated, and null, undefined and false add nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

/** Escapes text for HTML (and SVG) character data and quoted attribute values. */
export function escapeHtml(text: string): string {
  return escapeXml(text);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map((item: HtmlValue) => render(item)).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(String(value));
}

/** Builds markup from a template literal, escaping each interpolated value. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let markup = strings[0];
  values.forEach((value, index) => {
    markup += render(value) + strings[index + 1];
  });
  return new SafeHtml(markup);
}

/** Joins pieces of markup with a separator that is itself escaped. */
export function joinHtml(pieces: readonly HtmlValue[], separator: string): SafeHtml {
  return new SafeHtml(pieces.map((piece) => render(piece)).join(escapeHtml(separator)));
}
