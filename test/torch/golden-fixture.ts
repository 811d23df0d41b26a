// Reads test/fixtures/ops-golden.json, the PyTorch reference values that
// scripts/make-golden.py writes, and turns its stored tensors into Tensors.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { tensor, type Tensor } from "../../src/torch/index.js";

export type FixtureDType = "float32" | "float64" | "int64" | "bool";

/** A tensor as stored in the fixture: its values flattened in row-major order. */
export interface FixtureTensor {
  shape: number[];
  dtype: FixtureDType;
  values: number[];
}

export type OpOptions = Record<string, unknown>;

/** One op run in PyTorch on fixed inputs. */
export interface OpCase {
  name: string;
  /** The key of the runner that repeats this case through the TypeScript API. */
  op: string;
  options: OpOptions;
  inputs: Record<string, FixtureTensor>;
  outputs: Record<string, FixtureTensor>;
  /** A fixed random weight per differentiable output. */
  outputWeights: Record<string, FixtureTensor>;
  /** Gradients of sum(output * weight) over the weighted outputs, per differentiable input. */
  gradients: Record<string, FixtureTensor>;
}

/** A change of learning rate and momentum (Adam: beta1) applied before one step. */
export interface HyperparameterChange {
  lr: number;
  momentum: number;
}

/** Five optimizer steps on mean((x @ weightᵀ + bias - y)²), recorded after each step. */
export interface OptimizerRun {
  name: string;
  kind: "sgd" | "adam" | "adamw";
  options: { lr: number; momentum: number; beta2?: number; eps?: number };
  groups: { params: ("weight" | "bias")[]; weightDecay: number }[];
  schedule: (HyperparameterChange | null)[];
  steps: { loss: number; weight: FixtureTensor; bias: FixtureTensor }[];
}

export interface GoldenFixture {
  header: { command: string; torch: string; seed: number };
  ops: OpCase[];
  optimizers: {
    problem: { x: FixtureTensor; y: FixtureTensor; weight: FixtureTensor; bias: FixtureTensor };
    runs: OptimizerRun[];
  };
  /** Samples that PyTorch's default generator draws right after manual_seed(seed). */
  random: {
    seed: number;
    randnFloat32: FixtureTensor;
    randnFloat64: FixtureTensor;
    dropoutOfOnes: { p: number; output: FixtureTensor };
  };
}

function findProjectRoot(): string {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(folder, "package.json"))) {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error(`golden fixture: no package.json above ${fileURLToPath(import.meta.url)}`);
    folder = parent;
  }
  return folder;
}

export const goldenFixturePath = path.join(findProjectRoot(), "test", "fixtures", "ops-golden.json");

let cached: GoldenFixture | null = null;

export function loadGoldenFixture(): GoldenFixture {
  if (cached === null) {
    if (!existsSync(goldenFixturePath)) {
      throw new Error(`golden fixture: ${goldenFixturePath} is missing; write it with /usr/bin/python3 scripts/make-golden.py`);
    }
    cached = JSON.parse(readFileSync(goldenFixturePath, "utf8")) as GoldenFixture;
  }
  return cached;
}

/** Makes a new Tensor with the stored shape, dtype and values. */
export function tensorFromFixture(stored: FixtureTensor): Tensor {
  const shape = stored.shape;
  switch (stored.dtype) {
    case "float64":
      return tensor(Float64Array.from(stored.values), { shape });
    case "float32":
      return tensor(Float32Array.from(stored.values), { shape });
    case "int64":
      return tensor(BigInt64Array.from(stored.values, (value) => BigInt(value)), { shape });
    case "bool":
      return tensor(Uint8Array.from(stored.values), { shape, dtype: "bool" });
  }
}
