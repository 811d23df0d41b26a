// The two block diagrams of the introduction, drawn by hand as SVG: a ResNet basic block and a
// pre-LN Transformer block, each with its residual path in the residual colour.
import { html, SafeHtml } from "./html.js";
import { namespaceSvgIds, residualColor, type Figure } from "./vega-figure.js";

const boxFill = "#f4f4f5";
const boxStroke = "#a1a1aa";
const branchStroke = "#52525b";
const fontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

function box(centreX: number, top: number, width: number, height: number, label: string): SafeHtml {
  return html`<rect x="${centreX - width / 2}" y="${top}" width="${width}" height="${height}" rx="6" fill="${boxFill}" stroke="${boxStroke}"/>
<text x="${centreX}" y="${top + height / 2 + 4.5}" text-anchor="middle" font-size="13">${label}</text>`;
}

/** Draws a polyline with an arrowhead at its end, in the shortcut's colour and width when `residual` is true. */
function arrow(points: readonly [number, number][], residual = false): SafeHtml {
  const path = points.map(([x, y], index) => `${index === 0 ? "M" : "L"}${x},${y}`).join(" ");
  const stroke = residual ? residualColor : branchStroke;
  const width = residual ? 3.5 : 1.5;
  const marker = residual ? "arrow-residual" : "arrow";
  return html`<path d="${path}" fill="none" stroke="${stroke}" stroke-width="${width}" stroke-linejoin="round" marker-end="url(#${marker})"/>`;
}

function adder(centreX: number, centreY: number): SafeHtml {
  return html`<circle cx="${centreX}" cy="${centreY}" r="13" fill="white" stroke="${residualColor}" stroke-width="2.5"/>
<path d="M${centreX - 7},${centreY} h14 M${centreX},${centreY - 7} v14" stroke="${residualColor}" stroke-width="2.5"/>`;
}

function dot(centreX: number, centreY: number): SafeHtml {
  return html`<circle cx="${centreX}" cy="${centreY}" r="4" fill="${residualColor}"/>`;
}

function label(x: number, y: number, text: string, options: { anchor?: "start" | "middle" | "end"; size?: number; color?: string; italic?: boolean } = {}): SafeHtml {
  const style = options.italic ? "italic" : "normal";
  return html`<text x="${x}" y="${y}" text-anchor="${options.anchor ?? "middle"}" font-size="${options.size ?? 13}" font-style="${style}" fill="${options.color ?? "#18181b"}">${text}</text>`;
}

const markers = html`<defs>
<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${branchStroke}"/></marker>
<marker id="arrow-residual" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="4.5" markerHeight="4.5" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${residualColor}"/></marker>
</defs>`;

function svgDocument(name: string, width: number, height: number, title: string, body: SafeHtml): SafeHtml {
  const markup = html`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}" font-family="${fontFamily}">
<title>${title}</title>
<rect width="${width}" height="${height}" fill="white"/>
${markers}
${body}
</svg>`;
  return new SafeHtml(namespaceSvgIds(markup.markup, name));
}

/** Draws He et al. 2015's basic block (Fig. 2): two 3x3 convolutions and an identity shortcut around them. */
export function resnetBlockFigure(): Figure {
  const centre = 150;
  const body = html`
${label(centre, 22, "x", { italic: true, size: 15 })}
${arrow([[centre, 30], [centre, 52]])}
${dot(centre, 56)}
${arrow([[centre, 56], [centre, 84]])}
${box(centre, 86, 170, 36, "3×3 conv, BN, ReLU")}
${arrow([[centre, 122], [centre, 150]])}
${box(centre, 152, 170, 36, "3×3 conv, BN")}
${arrow([[centre, 188], [centre, 225]])}
${arrow([[centre, 56], [272, 56], [272, 240], [165, 240]], true)}
${adder(centre, 240)}
${label(280, 150, "identity shortcut", { anchor: "start", size: 12, color: residualColor })}
${label(280, 166, "(x, unchanged)", { anchor: "start", size: 12, color: residualColor })}
<path d="M56,88 h-8 v98 h8" fill="none" stroke="${branchStroke}"/>
${label(40, 141, "F(x)", { anchor: "end", italic: true, size: 14 })}
${arrow([[centre, 253], [centre, 280]])}
${box(centre, 282, 110, 32, "ReLU")}
${arrow([[centre, 314], [centre, 340]])}
${label(centre, 360, "y = ReLU(x + F(x))", { italic: true, size: 14 })}
${label(centre, 392, "plain twin: the shortcut removed, y = ReLU(F(x))", { size: 12, color: "#52525b" })}`;
  const title = "ResNet basic block with its identity shortcut";
  return {
    name: "resnet-block",
    svg: svgDocument("resnet-block", 400, 410, title, body),
    caption: html`<strong>A ResNet basic block</strong> (He et al. 2015, Fig. 2). The two convolutions compute the residual <em>F</em>(<em>x</em>); the identity shortcut (orange) adds the block's input back before the last ReLU. The experiments below remove exactly this path to make the plain twin.`,
  };
}

/** Draws a pre-LN Transformer block (as in GPT-2): the residual stream runs straight through, and attention and the MLP each add to it. */
export function transformerBlockFigure(): Figure {
  const stream = 90;
  const branch = 250;
  const body = html`
${label(stream, 22, "x", { italic: true, size: 15 })}
${arrow([[stream, 30], [stream, 175]], true)}
${dot(stream, 60)}
${arrow([[stream, 60], [branch, 60], [branch, 78]])}
${box(branch, 80, 150, 32, "LayerNorm")}
${arrow([[branch, 112], [branch, 132]])}
${box(branch, 134, 150, 36, "multi-head attention")}
${arrow([[branch, 170], [branch, 190], [stream + 15, 190]])}
${adder(stream, 190)}
${arrow([[stream, 203], [stream, 345]], true)}
${dot(stream, 230)}
${arrow([[stream, 230], [branch, 230], [branch, 248]])}
${box(branch, 250, 150, 32, "LayerNorm")}
${arrow([[branch, 282], [branch, 302]])}
${box(branch, 304, 150, 36, "MLP")}
${arrow([[branch, 340], [branch, 360], [stream + 15, 360]])}
${adder(stream, 360)}
${arrow([[stream, 373], [stream, 398]], true)}
${label(stream, 418, "y", { italic: true, size: 15 })}
<text transform="translate(60,112) rotate(-90)" text-anchor="middle" font-size="12" fill="${residualColor}">residual stream</text>
<text transform="translate(60,290) rotate(-90)" text-anchor="middle" font-size="12" fill="${residualColor}">residual stream</text>
${label(stream + 22, 212, "h = x + Attention(LN(x))", { anchor: "start", size: 12, italic: true })}
${label(stream + 22, 382, "y = h + MLP(LN(h))", { anchor: "start", size: 12, italic: true })}`;
  const title = "Pre-LN Transformer block with its residual stream";
  return {
    name: "transformer-block",
    svg: svgDocument("transformer-block", 360, 440, title, body),
    caption: html`<strong>A Transformer block</strong>, pre-LN as in GPT-2. The residual stream (orange) runs straight through; attention and the MLP read a normalised copy and add their output to it, so each is a residual function <em>F</em>. Vaswani et al. 2017 put the LayerNorm after each addition instead (post-LN). Without its residual connections the block is LayerNorm, attention, LayerNorm, MLP in sequence.`,
  };
}
