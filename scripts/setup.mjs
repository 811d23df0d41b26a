// Brings a checkout to a runnable state, doing only what is missing: npm packages, libtorch,
// the native addon build and the TypeScript build. `npm start`, `npm test` and `npm run bench`
// call it first, so a fresh machine needs no other step. On Debian as root it installs
// libtorch-dev, libopenblas0-openmp, dataset-fashion-mnist and dict-devil with apt-get when they
// are missing. Flags:
// --python-torch also installs python3-torch and python3-torchvision (the benchmark's peer);
// --chromium also installs chromium (the report's browser test).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import { findLibtorch, missingLibtorchMessage, projectRoot, recordPath } from "./libtorch.mjs";

const addonPath = path.join(projectRoot, "build", "Release", "residual_lab.node");
const addonRecordPath = path.join(projectRoot, "build", "Release", "libtorch.json");

function log(message) {
  process.stderr.write(`setup: ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: ["ignore", "inherit", "inherit"], ...options });
  if (result.error) throw new Error(`${command} failed to start: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited with status ${result.status}`);
}

function newestModification(folder, extensions) {
  let newest = 0;
  if (!existsSync(folder)) return newest;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestModification(full, extensions));
    else if (extensions.some((extension) => entry.name.endsWith(extension))) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function modifiedAt(file) {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

function ensureNpmPackages() {
  const marker = path.join(projectRoot, "node_modules", ".package-lock.json");
  const lock = path.join(projectRoot, "package-lock.json");
  if (existsSync(marker) && modifiedAt(marker) >= modifiedAt(lock)) return;
  log("installing npm packages");
  run("npm", [existsSync(lock) ? "ci" : "install", "--no-audit", "--no-fund"]);
}

function isDebianRoot() {
  return existsSync("/etc/debian_version") && typeof process.getuid === "function" && process.getuid() === 0;
}

function aptInstall(packages) {
  log(`installing ${packages.join(", ")} with apt-get`);
  const environment = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", ["update"], { env: environment });
  run("apt-get", ["install", "-y", "--no-install-recommends", ...packages], { env: environment });
}

const fashionMnistFolder = "/usr/share/datasets/fashion-mnist";
// The Devil's Dictionary (Bierce 1911, public domain), the Transformer's character-level text.
const devilsDictionary = "/usr/share/dictd/devil.dict.dz";

function ensureLibtorch() {
  let libtorch = findLibtorch();
  if (!libtorch && isDebianRoot()) {
    // Fashion-MNIST comes along in the same apt run when it is missing too.
    aptInstall(["libtorch-dev", ...missingDataPackages()]);
    libtorch = findLibtorch();
  }
  if (!libtorch) throw new Error(missingLibtorchMessage);

  const record = JSON.stringify(libtorch, null, 2) + "\n";
  if (!existsSync(recordPath) || readFileSync(recordPath, "utf8") !== record) writeFileSync(recordPath, record);
  return libtorch;
}

function missingDataPackages() {
  return [
    ...(existsSync(fashionMnistFolder) ? [] : ["dataset-fashion-mnist"]),
    ...(existsSync(devilsDictionary) ? [] : ["dict-devil"]),
  ];
}

/**
 * Fashion-MNIST (dataset-fashion-mnist) and the Transformer's text (dict-devil) from Debian;
 * without them, their tests and experiments are skipped.
 */
function ensureDataPackages() {
  const missing = missingDataPackages();
  if (missing.length === 0) return;
  if (!isDebianRoot()) {
    log(`missing data: install ${missing.join(" and ")} (Debian packages) or pass --dataset FOLDER`);
    return;
  }
  aptInstall(missing);
}

// Debian's libtorch calls the BLAS behind libblas.so.3, by default the slow reference one (measured
// on one thread: 5.7 ms against OpenBLAS's 0.47 ms for [512, 64] by [64, 192]). OpenBLAS's OpenMP
// build follows libtorch's thread count.
const debianOpenBlas = "/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3";

function ensureOpenBlas(libtorch) {
  if (!libtorch.source.startsWith("debian") || existsSync(debianOpenBlas)) return;
  if (!isDebianRoot()) {
    log("libtorch is using the reference BLAS: install libopenblas0-openmp for matrix products about ten times faster");
    return;
  }
  aptInstall(["libopenblas0-openmp"]);
}

/** Debian's Chromium, which the report's browser test drives headless; without it that test is skipped. */
function ensureChromium() {
  if (existsSync("/usr/bin/chromium")) return;
  if (!isDebianRoot()) {
    log("Chromium not found at /usr/bin/chromium: the report's browser test will be skipped");
    return;
  }
  aptInstall(["chromium"]);
}

function ensurePythonTorch() {
  const probe = spawnSync("/usr/bin/python3", ["-c", "import torch, torchvision"], { stdio: "ignore" });
  if (probe.status === 0) return;
  if (!isDebianRoot()) throw new Error("the benchmark needs PyTorch for /usr/bin/python3: apt-get install python3-torch python3-torchvision");
  aptInstall(["python3-torch", "python3-torchvision"]);
}

/** Node's own headers: the prefix that holds include/node beside the running node binary. */
function nodeHeadersFolder() {
  const prefix = path.resolve(path.dirname(process.execPath), "..");
  return existsSync(path.join(prefix, "include", "node", "node_api.h")) ? prefix : null;
}

function ensureAddon(libtorch) {
  const sourcesChanged = Math.max(newestModification(path.join(projectRoot, "native"), [".cc", ".h"]), modifiedAt(path.join(projectRoot, "binding.gyp")));
  const built = modifiedAt(addonPath);
  const builtAgainst = existsSync(addonRecordPath) ? JSON.parse(readFileSync(addonRecordPath, "utf8")).root : null;
  if (built > sourcesChanged && builtAgainst === libtorch.root) return;

  log(`building the native addon against libtorch at ${libtorch.root} (${libtorch.source})`);
  const nodeGyp = path.join(projectRoot, "node_modules", "node-gyp", "bin", "node-gyp.js");
  if (!existsSync(path.join(projectRoot, "build", "Makefile")) || builtAgainst !== libtorch.root) {
    const headers = nodeHeadersFolder();
    run(process.execPath, [nodeGyp, "configure", ...(headers ? [`--nodedir=${headers}`] : [])]);
  }
  run(process.execPath, [nodeGyp, "build", "--jobs", "max"]);
  mkdirSync(path.dirname(addonRecordPath), { recursive: true });
  writeFileSync(addonRecordPath, JSON.stringify(libtorch, null, 2) + "\n");
}

// tsc's incremental build is the change check here: with nothing changed it takes about 2 s.
function ensureTypeScriptBuild() {
  run(process.execPath, [path.join(projectRoot, "node_modules", "typescript", "bin", "tsc"), "-p", "."]);
}

try {
  ensureNpmPackages();
  const libtorch = ensureLibtorch();
  ensureOpenBlas(libtorch);
  ensureDataPackages();
  if (process.argv.includes("--python-torch")) ensurePythonTorch();
  if (process.argv.includes("--chromium")) ensureChromium();
  ensureAddon(libtorch);
  ensureTypeScriptBuild();
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
