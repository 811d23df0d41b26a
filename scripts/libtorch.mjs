// Finds a libtorch to build the addon against. Order: the LIBTORCH folder, a Python torch
// install (torch.utils.cmake_prefix_path), the Debian system install (libtorch-dev).
// Run directly, it prints one field of the recorded choice for binding.gyp.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const recordPath = path.join(projectRoot, "native", "libtorch.config.json");

const debianMultiarch = { x64: "x86_64-linux-gnu", arm64: "aarch64-linux-gnu" };

/** Returns the build settings for a libtorch folder laid out as the official zip or a pip wheel, or null. */
function layoutAt(root) {
  const apiInclude = path.join(root, "include", "torch", "csrc", "api", "include");
  const libDir = path.join(root, "lib");
  if (!existsSync(path.join(apiInclude, "torch", "torch.h"))) return null;
  if (!existsSync(path.join(libDir, "libtorch.so")) && !existsSync(path.join(libDir, "libtorch.dylib"))) return null;
  return {
    root,
    includeDirs: [path.join(root, "include"), apiInclude],
    libDir,
    cxx11Abi: abiFromCmake(path.join(root, "share", "cmake", "Torch", "TorchConfig.cmake")),
    cuda: existsSync(path.join(libDir, "libtorch_cuda.so")),
  };
}

/** Reads -D_GLIBCXX_USE_CXX11_ABI from TorchConfig.cmake; libtorch builds differ (pip wheels before 2.x use 0). */
function abiFromCmake(file) {
  if (!existsSync(file)) return 1;
  const match = /_GLIBCXX_USE_CXX11_ABI=(\d)/.exec(readFileSync(file, "utf8"));
  return match ? Number(match[1]) : 1;
}

function fromEnvironment(env) {
  const root = env.LIBTORCH;
  if (!root) return null;
  const layout = layoutAt(path.resolve(root));
  if (!layout) {
    throw new Error(
      `LIBTORCH=${root} is not a libtorch folder: expected include/torch/csrc/api/include/torch/torch.h and lib/libtorch.so under it`,
    );
  }
  return { ...layout, source: "LIBTORCH" };
}

function fromPython(env) {
  const interpreters = [...new Set([env.PYTHON, "python3", "/usr/bin/python3"].filter(Boolean))];
  const probe = "import torch, torch.utils; print(torch.utils.cmake_prefix_path); print(int(torch._C._GLIBCXX_USE_CXX11_ABI))";
  for (const python of interpreters) {
    let output;
    try {
      output = execFileSync(python, ["-c", probe], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 120_000 });
    } catch {
      continue; // this interpreter has no torch
    }
    const [cmakePrefix, abi] = output.trim().split("\n");
    const layout = layoutAt(path.resolve(cmakePrefix, "..", ".."));
    if (layout) return { ...layout, cxx11Abi: Number(abi), source: `python (${python})` };
  }
  return null;
}

function fromDebian() {
  const multiarch = debianMultiarch[process.arch];
  if (!multiarch) return null;
  const libDir = path.join("/usr/lib", multiarch);
  const apiInclude = "/usr/include/torch/csrc/api/include";
  if (!existsSync(path.join(apiInclude, "torch", "torch.h")) || !existsSync(path.join(libDir, "libtorch.so"))) return null;
  return {
    root: "/usr",
    includeDirs: ["/usr/include", apiInclude],
    libDir,
    cxx11Abi: abiFromCmake(path.join(libDir, "cmake", "Torch", "TorchConfig.cmake")),
    cuda: existsSync(path.join(libDir, "libtorch_cuda.so")),
    source: "debian (libtorch-dev)",
  };
}

/** Finds libtorch in the documented order; returns null when there is none. */
export function findLibtorch(env = process.env) {
  return fromEnvironment(env) ?? fromPython(env) ?? fromDebian();
}

export const missingLibtorchMessage = [
  "libtorch not found. Provide it in one of three ways:",
  "  1. set LIBTORCH to a libtorch folder (the official zip, unpacked),",
  "  2. install PyTorch for python3 (pip install torch), or",
  "  3. on Debian or Ubuntu: apt-get install libtorch-dev",
].join("\n");

function readRecord() {
  if (!existsSync(recordPath)) {
    throw new Error(`${recordPath} is missing: run 'node scripts/setup.mjs' to find libtorch before building`);
  }
  return JSON.parse(readFileSync(recordPath, "utf8"));
}

// binding.gyp asks for one field at a time: `node scripts/libtorch.mjs includeDirs`.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const record = readRecord();
  const field = process.argv[2];
  if (field === "includeDirs") console.log(record.includeDirs.join(" "));
  else if (field === "libDir") console.log(record.libDir);
  else if (field === "cxx11Abi") console.log(record.cxx11Abi);
  else if (field === "libraries") console.log(["-ltorch", "-ltorch_cpu", "-lc10", ...(record.cuda ? ["-ltorch_cuda", "-lc10_cuda"] : [])].join(" "));
  else {
    console.error(`unknown field '${field}', expected includeDirs, libDir, cxx11Abi or libraries`);
    process.exit(2);
  }
}
