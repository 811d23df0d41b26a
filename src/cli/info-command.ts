// `residual-lab info`: versions, the libtorch the addon was built against, threads, CPU features.
import { defaultThreadCount, setNumThreads } from "../torch/index.js";
import { provenance } from "../torch/index.js";
import { parseFlags, UsageError } from "./usage-error.js";

export const infoHelp = `Usage: residual-lab info [--json]

Prints residual-lab's, Node's and libtorch's versions, the libtorch the addon was built against,
the thread count, the CPU and its SIMD features.`;

export function infoCommand(args: string[]): void {
  const { values, positionals } = parseFlags(args, { json: { type: "boolean" } }, "info");
  if (positionals.length > 0) throw new UsageError(`info: unexpected argument '${positionals[0]}'`);

  setNumThreads(defaultThreadCount());
  const facts = provenance();
  if (values.json) {
    process.stdout.write(JSON.stringify(facts) + "\n");
    return;
  }
  const lines: [string, string][] = [
    ["residual-lab", facts.residualLabVersion],
    ["node", facts.node],
    ["libtorch", `${facts.libtorchVersion} at ${facts.libtorchPath} (${facts.libtorchSource})`],
    ["threads", String(facts.threads)],
    ["malloc", facts.mallocSettingsApplied ? "residual-lab's thresholds (RESIDUAL_LAB_MALLOC=glibc keeps the C library's)" : "the C library's own settings"],
    ["blas", facts.blasLibrary],
    ["cpu", `${facts.cpuModel}, ${facts.cores} cores, ${facts.memoryGiB} GiB`],
    ["cpu kernels", facts.cpuCapability],
    ["cpu features", facts.cpuFeatures.join(" ") || "none detected"],
    ["cuda", facts.cudaAvailable ? "available" : "not available"],
    ["platform", facts.platform],
  ];
  const width = Math.max(...lines.map(([name]) => name.length));
  for (const [name, value] of lines) process.stdout.write(`${name.padEnd(width)}  ${value}\n`);
}
