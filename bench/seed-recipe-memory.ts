// The seed recipe's memory, for `npm run bench`. It runs `residual-lab train` (ResNet-18, MNIST,
// Adam, batch 32) in a child process on the first N training images per epoch, so that eight
// epochs take about a minute and a half. The child reports its resident set size after each
// epoch. The whole recipe allocates the same tensors every step, so a flat curve over short
// epochs shows what the long ones would, without 25 minutes of training.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { projectRoot } from "../src/torch/native.js";

export interface EpochMemory {
  epoch: number;
  seconds: number;
  rssMiB: number;
  peakRssMiB: number;
}

export interface SeedRecipeMemory {
  trainImagesPerEpoch: number;
  validImages: number;
  epochs: EpochMemory[];
  /** The last epoch's RSS over the middle epoch's: 1 is flat once the heap has settled. */
  growthSecondHalf: number;
}

const mainScript = path.join(projectRoot, "dist", "src", "cli", "main.js");

/** Returns this process's environment without GLIBC_TUNABLES and RESIDUAL_LAB_MALLOC, for a child whose malloc settings the bench chooses. */
export function environmentWithoutMallocSettings(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.GLIBC_TUNABLES;
  delete env.RESIDUAL_LAB_MALLOC;
  return env;
}

export function measureSeedRecipeMemory(threads: number, epochCount = 8, trainImagesPerEpoch = 3200, validImages = 1000): SeedRecipeMemory {
  const args = [
    mainScript,
    "train",
    "--json",
    "--epochs",
    `${epochCount}`,
    "--threads",
    `${threads}`,
    "--train-limit",
    `${trainImagesPerEpoch}`,
    "--valid-limit",
    `${validImages}`,
    "--checkpoint",
    path.join(projectRoot, "runs", "bench", "seed-recipe-memory.safetensors"),
  ];
  // The child runs with residual-lab's own malloc thresholds, whatever the caller's environment.
  const env = environmentWithoutMallocSettings();

  // Stderr (fastai's table) passes through as progress; stdout carries one JSON line per epoch.
  const child = spawnSync(process.execPath, args, { encoding: "utf8", env, stdio: ["ignore", "pipe", "inherit"] });
  if (child.error) throw new Error(`seed recipe memory: ${process.execPath} failed to start: ${child.error.message}`);
  if (child.status !== 0) throw new Error(`seed recipe memory: residual-lab train exited with status ${child.status ?? child.signal}`);

  const epochs = child.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { epoch: number; seconds: number; rss_mib: number; peak_rss_mib: number })
    .map((row) => ({ epoch: row.epoch, seconds: row.seconds, rssMiB: row.rss_mib, peakRssMiB: row.peak_rss_mib }));
  if (epochs.length === 0) throw new Error("seed recipe memory: residual-lab train printed no epochs");
  const middle = epochs[Math.floor((epochs.length - 1) / 2)];
  return { trainImagesPerEpoch, validImages, epochs, growthSecondHalf: epochs.at(-1)!.rssMiB / middle.rssMiB };
}

export function formatSeedRecipeMemory(memory: SeedRecipeMemory): string {
  const lines = [
    `Seed recipe memory (residual-lab train: ResNet-18, MNIST, Adam, batch 32, residual-lab's malloc thresholds; ${memory.trainImagesPerEpoch} training and ${memory.validImages} test images per epoch)`,
    "",
    "| epoch | seconds | RSS at epoch end (MiB) | peak RSS so far (MiB) |",
    "| ---: | ---: | ---: | ---: |",
    ...memory.epochs.map((epoch) => `| ${epoch.epoch} | ${epoch.seconds.toFixed(1)} | ${epoch.rssMiB.toFixed(0)} | ${epoch.peakRssMiB.toFixed(0)} |`),
    "",
    `RSS after the last epoch / after the middle one: ${memory.growthSecondHalf.toFixed(3)}`,
  ];
  return lines.join("\n") + "\n";
}
