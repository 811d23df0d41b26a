// What a result was made on: machine, CPU features, versions and threads. Every saved result and
// report carries it.
import { existsSync, readFileSync, realpathSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { getNumThreads, runtimeInfo } from "./runtime.js";
import { addonPath, mallocSettingsApplied, projectRoot } from "./native.js";

export interface Provenance {
  residualLabVersion: string;
  node: string;
  libtorchVersion: string;
  /** Where the addon's libtorch came from ("debian (libtorch-dev)", "python (...)", "LIBTORCH"). */
  libtorchSource: string;
  libtorchPath: string;
  cpuModel: string;
  cpuCapability: string;
  /** SIMD and matrix features from /proc/cpuinfo that libtorch's kernels can use. */
  cpuFeatures: string[];
  cores: number;
  memoryGiB: number;
  threads: number;
  /** Whether residual-lab set glibc's malloc thresholds for training (RESIDUAL_LAB_MALLOC=glibc turns it off). */
  mallocSettingsApplied: boolean;
  /** The BLAS library mapped into this process (Debian's libtorch uses whichever provides libblas.so.3). */
  blasLibrary: string;
  platform: string;
  cudaAvailable: boolean;
}

const interestingFlags = ["avx", "avx2", "fma", "avx512f", "avx512_bf16", "avx512_vnni", "amx_bf16", "amx_tile", "f16c"];

function cpuFlags(): string[] {
  if (!existsSync("/proc/cpuinfo")) return [];
  const line = readFileSync("/proc/cpuinfo", "utf8").split("\n").find((text) => text.startsWith("flags"));
  const flags = new Set((line?.split(":")[1] ?? "").trim().split(/\s+/));
  return interestingFlags.filter((flag) => flags.has(flag));
}

// Matrix products depend on the BLAS the loader picked (Debian's reference BLAS is about ten times
// slower than OpenBLAS). Official libtorch builds usually link theirs in, so no file shows up.
function loadedBlas(): string {
  if (!existsSync("/proc/self/maps")) return "unknown";
  const mapped = readFileSync("/proc/self/maps", "utf8")
    .split("\n")
    .map((line) => line.slice(line.indexOf("/")))
    .filter((file) => /\/lib(open)?blas[^/]*\.so|\/libmkl[^/]*\.so/.test(file));
  return mapped.length > 0 ? realpathSync(mapped[0]) : "inside libtorch";
}

function libtorchRecord(): { source: string; root: string } {
  const record = path.join(path.dirname(addonPath), "libtorch.json");
  if (!existsSync(record)) return { source: "unknown", root: "unknown" };
  return JSON.parse(readFileSync(record, "utf8")) as { source: string; root: string };
}

export function provenance(): Provenance {
  const runtime = runtimeInfo();
  const record = libtorchRecord();
  const packageJson = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { version: string };
  return {
    residualLabVersion: packageJson.version,
    node: process.version,
    libtorchVersion: runtime.libtorchVersion,
    libtorchSource: record.source,
    libtorchPath: record.root,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    cpuCapability: runtime.cpuCapability,
    cpuFeatures: cpuFlags(),
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    threads: getNumThreads(),
    mallocSettingsApplied,
    blasLibrary: loadedBlas(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cudaAvailable: runtime.cudaAvailable,
  };
}
