// `residual-lab report [RUN_DIR]`: writes the report page from a run folder's results.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { writeReport } from "../report/index.js";
import { oneOf, parseFlags, UsageError } from "./usage-error.js";

export const reportHelp = `Usage: residual-lab report [RUN_DIR] [options]

Writes the report "Why residual connections?" from the results in RUN_DIR (default: runs):
OUT/index.html, one self-contained page that needs no network, and OUT/figures/NAME.svg for
each figure. An experiment without a result gets a "not run" note with the command that runs
it. Prints the path of index.html on stdout and each section's conclusion on stderr. A result
file that cannot be read is marked on the page, and the command then exits with status 1.

Options:
  --profile NAME   which profile's results to read: quick (default) or full
  --out DIR        where the page and its figures go (default: report)`;

export async function reportCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, { profile: { type: "string" }, out: { type: "string" } }, "report");
  if (positionals.length > 1) throw new UsageError(`report: expected at most one run folder, got ${positionals.length}: ${positionals.join(" ")}`);
  const profile = oneOf(values.profile, ["quick", "full"] as const, "--profile") ?? "quick";
  const runsFolder = path.resolve(positionals[0] ?? "runs");
  // A missing folder is a typo or a run not yet made; an empty report would hide that.
  if (!existsSync(runsFolder)) {
    throw new UsageError(`report: run folder ${runsFolder} not found; run 'residual-lab start' or 'residual-lab experiment all' first`);
  }
  if (!statSync(runsFolder).isDirectory()) throw new UsageError(`report: ${runsFolder} is not a folder; give the folder that holds the runs`);
  const outFolder = path.resolve(values.out ?? "report");
  if (existsSync(outFolder) && !statSync(outFolder).isDirectory()) throw new UsageError(`report: --out ${outFolder} is not a folder; give a folder for the page and its figures`);

  const report = await writeReport(runsFolder, outFolder, { profile });

  for (const section of report.sections) {
    if (section.id === "residual-connections" || section.id === "verdicts") continue;
    process.stderr.write(`${section.label}: ${section.summary}\n`);
  }
  process.stdout.write(`${report.indexFile}\n`);

  // The page is written either way, but a script must be able to tell that it has holes.
  const unreadable = report.sections.filter((section) => section.status === "unreadable");
  if (unreadable.length > 0) {
    throw new Error(`report: could not read the result of ${unreadable.map((section) => section.label).join(", ")}; the page marks them`);
  }
}
