// The report: results of a run folder as one self-contained HTML page with SVG figures.
export { buildReport, writeReport, type BuiltReport, type ReportOptions, type WrittenReport } from "./write-report.js";
export type { Section } from "./section.js";
export { escapeHtml } from "./html.js";
