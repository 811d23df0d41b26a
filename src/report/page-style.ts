// The page's stylesheet, inlined into index.html: an article column for the text, figures that
// may run wider, and print rules that keep figures and tables whole.

export const pageStyle = `
:root {
  --text: #1f2328;
  --muted: #57606a;
  --rule: #d8dee4;
  --residual: #c2410c;
  --residual-tint: #fff1e8;
  --plain: #1d4ed8;
  --plain-tint: #e8efff;
  --panel: #f6f8fa;
  --serif: "Iowan Old Style", "Palatino Linotype", Palatino, "Book Antiqua", Georgia, "Times New Roman", serif;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  --mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
html { background: white; }
body { margin: 0; color: var(--text); font-family: var(--serif); font-size: 18px; line-height: 1.6; }
.page { max-width: 46rem; margin: 0 auto; padding: 3rem 1.5rem 4rem; }
header.masthead { border-bottom: 1px solid var(--rule); padding-bottom: 1.5rem; margin-bottom: 2rem; }
.kicker { font-family: var(--sans); font-size: 0.8rem; letter-spacing: 0.08em; text-transform: uppercase; color: var(--residual); margin: 0 0 0.4rem; }
h1 { font-family: var(--sans); font-size: 2.6rem; line-height: 1.15; margin: 0 0 0.8rem; letter-spacing: -0.01em; }
.standfirst { font-size: 1.2rem; color: var(--muted); margin: 0 0 1rem; }
.meta { font-family: var(--sans); font-size: 0.85rem; color: var(--muted); margin: 0; }
h2 { font-family: var(--sans); font-size: 1.6rem; line-height: 1.25; margin: 3.2rem 0 1rem; padding-top: 1rem; border-top: 1px solid var(--rule); }
h2 .number { color: var(--residual); margin-right: 0.5rem; }
h3 { font-family: var(--sans); font-size: 1.1rem; margin: 1.8rem 0 0.6rem; }
h4 { font-family: var(--sans); font-size: 0.95rem; margin: 1rem 0 0.3rem; }
p, ul, ol { margin: 0 0 1rem; }
code, pre { font-family: var(--mono); font-size: 0.85em; }
code { background: var(--panel); padding: 0.05em 0.3em; border-radius: 3px; }
pre { background: var(--panel); padding: 0.7rem 1rem; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
pre code { background: none; padding: 0; }
.equation { font-family: var(--serif); white-space: nowrap; }
.definition { font-size: 1.25rem; text-align: center; margin: 1.5rem 0; }
.definition .equation { display: block; font-size: 1.7rem; margin-top: 0.3rem; color: var(--residual); }
nav.contents, .in-brief { font-family: var(--sans); font-size: 0.92rem; background: var(--panel); border-radius: 8px; padding: 1rem 1.4rem; margin: 0 0 1.5rem; }
nav.contents h2, .in-brief h2 { font-size: 0.8rem; letter-spacing: 0.08em; text-transform: uppercase; color: var(--muted); border: 0; margin: 0 0 0.5rem; padding: 0; }
nav.contents ol { columns: 2; column-gap: 2rem; margin: 0; padding-left: 1.4rem; }
nav.contents a { color: var(--text); text-decoration: none; }
nav.contents .status { color: var(--muted); font-size: 0.8rem; }
.in-brief ul { margin: 0; padding-left: 1.2rem; }
.in-brief li { margin-bottom: 0.35rem; line-height: 1.45; }
.in-brief strong { font-weight: 600; }
figure { margin: 1.6rem 0; }
figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figure.wide { width: min(64rem, calc(100vw - 2rem)); margin-left: 50%; transform: translateX(-50%); }
figcaption { font-family: var(--sans); font-size: 0.85rem; line-height: 1.45; color: var(--muted); max-width: 46rem; margin: 0.6rem auto 0; }
.figure-row { display: flex; flex-wrap: wrap; gap: 1.5rem; justify-content: center; width: min(64rem, calc(100vw - 2rem)); margin-left: 50%; transform: translateX(-50%); }
.figure-row figure { flex: 1 1 20rem; max-width: 30rem; margin: 0.5rem 0; }
.figure-beside { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: center; }
.figure-beside figure { flex: 0 1 27rem; min-width: 0; margin: 0.5rem 0; }
.figure-beside > div { flex: 1 1 12rem; }
ol.timeline { list-style: none; padding: 0; border-left: 3px solid var(--residual); margin-left: 0.4rem; }
ol.timeline li { position: relative; padding-left: 1.2rem; margin-bottom: 1rem; }
ol.timeline .year { font-family: var(--sans); font-weight: 700; color: var(--residual); margin-right: 0.4rem; }
.findings { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; margin: 1.5rem 0; font-size: 0.95rem; }
.finding { border-radius: 8px; padding: 0.8rem 1.1rem; }
.finding h3 { font-size: 0.8rem; letter-spacing: 0.08em; text-transform: uppercase; margin: 0 0 0.5rem; }
.finding h4:first-of-type { margin-top: 0; }
.finding.measured { background: var(--residual-tint); border-left: 4px solid var(--residual); }
.finding.measured h3 { color: var(--residual); }
.finding.paper { background: var(--panel); border-left: 4px solid #8c959f; }
.finding.paper h3 { color: var(--muted); }
.finding ul { padding-left: 1.1rem; margin-bottom: 0.5rem; }
.finding li { margin-bottom: 0.4rem; }
.verdict { display: inline-block; font-family: var(--sans); font-size: 0.75rem; font-weight: 600; line-height: 1.3; padding: 0.1rem 0.5rem; border-radius: 999px; white-space: nowrap; vertical-align: 0.1em; }
.verdict-residual { background: var(--residual); color: white; }
.verdict-plain { background: var(--plain); color: white; }
.verdict-neutral { background: white; color: var(--text); border: 1px solid #8c959f; }
.verdict-inconclusive { background: #e5e7eb; color: #374151; }
.note { font-family: var(--sans); font-size: 0.95rem; border: 1px dashed #8c959f; border-radius: 8px; padding: 0.8rem 1.1rem; margin: 1rem 0; }
.note p { margin: 0 0 0.5rem; }
.note pre { margin: 0; }
.aside { font-size: 0.9rem; color: var(--muted); }
.answer { font-size: 1.05rem; }
table { border-collapse: collapse; font-family: var(--sans); font-size: 0.85rem; margin: 1rem 0 1.5rem; }
th, td { padding: 0.3rem 0.8rem; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--text); }
table.fastai td, table.numbers td { font-variant-numeric: tabular-nums; }
table.numbers td { white-space: nowrap; }
.table-wide { width: min(64rem, calc(100vw - 2rem)); margin-left: 50%; transform: translateX(-50%); overflow-x: auto; }
.table-wide table { margin: 1rem auto 1.5rem; }
table.fastai td { font-family: var(--mono); text-align: right; }
table.provenance th { font-weight: 600; white-space: nowrap; }
.references { font-size: 0.9rem; padding-left: 1.4rem; }
.references li { margin-bottom: 0.4rem; }
footer { margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--rule); font-family: var(--sans); font-size: 0.8rem; color: var(--muted); }
@media (max-width: 720px) {
  body { font-size: 17px; }
  .findings { grid-template-columns: 1fr; }
  nav.contents ol { columns: 1; }
}
@media print {
  @page { margin: 16mm 14mm; }
  body { font-size: 11pt; }
  .page { max-width: none; padding: 0; }
  figure.wide, .figure-row, .table-wide { width: 100%; margin-left: 0; transform: none; }
  h2 { break-after: avoid; }
  h3, h4 { break-after: avoid; }
  figure, table, .findings, .note, pre { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
