// Runs each op of test/fixtures/ops-golden.json through the TypeScript API on PyTorch's inputs
// and compares outputs and gradients with PyTorch's (tolerances in assert-close.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { F, cat, gradients, tidy, type Tensor } from "../../src/torch/index.js";
import { assertTensorClose } from "./assert-close.js";
import { loadGoldenFixture, tensorFromFixture, type OpOptions } from "./golden-fixture.js";

type Inputs = Record<string, Tensor>;
type Runner = (inputs: Inputs, options: OpOptions) => Record<string, Tensor>;

function input(inputs: Inputs, name: string): Tensor {
  const found = inputs[name];
  if (found === undefined) throw new Error(`fixture case has no input '${name}'`);
  return found;
}

function numberOption(options: OpOptions, name: string): number {
  const value = options[name];
  if (typeof value !== "number") throw new Error(`fixture case option '${name}' must be a number, got ${JSON.stringify(value)}`);
  return value;
}

function numbersOption(options: OpOptions, name: string): number[] {
  const value = options[name];
  if (!Array.isArray(value) || !value.every((item) => typeof item === "number")) {
    throw new Error(`fixture case option '${name}' must be an array of numbers, got ${JSON.stringify(value)}`);
  }
  return value;
}

function booleanOption(options: OpOptions, name: string): boolean {
  const value = options[name];
  if (typeof value !== "boolean") throw new Error(`fixture case option '${name}' must be a boolean, got ${JSON.stringify(value)}`);
  return value;
}

/** Reductions store no dims when they reduce over every dimension. */
function optionalDims(options: OpOptions): number[] | undefined {
  return options.dims === undefined ? undefined : numbersOption(options, "dims");
}

function binary(apply: (a: Tensor, b: Tensor) => Tensor): Runner {
  return (inputs) => ({ output: apply(input(inputs, "a"), input(inputs, "b")) });
}

/** Runners that repeat each fixture op through the TypeScript API, keyed by the fixture's `op` values. */
const runners: Record<string, Runner> = {
  conv2d: (inputs, options) => ({
    output: F.conv2d(input(inputs, "input"), input(inputs, "weight"), inputs.bias ?? null, {
      stride: numberOption(options, "stride"),
      padding: numberOption(options, "padding"),
    }),
  }),

  batch_norm: (inputs, options) => {
    const runningMean = input(inputs, "runningMean");
    const runningVar = input(inputs, "runningVar");
    const output = F.batchNorm(input(inputs, "input"), runningMean, runningVar, {
      weight: input(inputs, "weight"),
      bias: input(inputs, "bias"),
      training: booleanOption(options, "training"),
      momentum: numberOption(options, "momentum"),
      eps: numberOption(options, "eps"),
    });
    // batchNorm updates the running statistics in place in training mode.
    return { output, runningMean, runningVar };
  },

  layer_norm: (inputs, options) => ({
    output: F.layerNorm(input(inputs, "input"), numbersOption(options, "normalizedShape"), input(inputs, "weight"), input(inputs, "bias"), numberOption(options, "eps")),
  }),

  linear: (inputs) => ({ output: F.linear(input(inputs, "input"), input(inputs, "weight"), input(inputs, "bias")) }),
  matmul: binary((a, b) => a.matmul(b)),
  relu: (inputs) => ({ output: F.relu(input(inputs, "input")) }),
  gelu: (inputs) => ({ output: F.gelu(input(inputs, "input")) }),
  embedding: (inputs) => ({ output: F.embedding(input(inputs, "weight"), input(inputs, "indices")) }),

  max_pool2d: (inputs, options) => ({
    output: F.maxPool2d(input(inputs, "input"), numberOption(options, "kernelSize"), {
      stride: numberOption(options, "stride"),
      padding: numberOption(options, "padding"),
    }),
  }),
  adaptive_avg_pool2d: (inputs, options) => ({ output: F.adaptiveAvgPool2d(input(inputs, "input"), numberOption(options, "outputSize")) }),
  adaptive_max_pool2d: (inputs, options) => ({ output: F.adaptiveMaxPool2d(input(inputs, "input"), numberOption(options, "outputSize")) }),

  log_softmax: (inputs, options) => ({ output: F.logSoftmax(input(inputs, "input"), numberOption(options, "dim")) }),
  softmax: (inputs, options) => ({ output: F.softmax(input(inputs, "input"), numberOption(options, "dim")) }),
  cross_entropy: (inputs) => ({ output: F.crossEntropy(input(inputs, "logits"), input(inputs, "target")) }),

  cat: (inputs, options) => ({ output: cat([input(inputs, "a"), input(inputs, "b")], numberOption(options, "dim")) }),
  flatten: (inputs, options) => ({ output: input(inputs, "input").flatten(numberOption(options, "startDim")) }),
  view: (inputs, options) => ({ output: input(inputs, "input").view(...numbersOption(options, "shape")) }),
  permute: (inputs, options) => ({ output: input(inputs, "input").permute(...numbersOption(options, "dims")) }),
  permute_flatten: (inputs, options) => ({
    output: input(inputs, "input").permute(...numbersOption(options, "dims")).flatten(numberOption(options, "startDim")),
  }),
  index_select: (inputs, options) => ({ output: input(inputs, "input").indexSelect(numberOption(options, "dim"), input(inputs, "index")) }),
  argmax: (inputs, options) => ({
    output: input(inputs, "input").argmax(options.dim === undefined ? undefined : numberOption(options, "dim")),
  }),

  sum: (inputs, options) => ({ output: input(inputs, "input").sum(optionalDims(options), options.keepdim === true) }),
  mean: (inputs, options) => ({ output: input(inputs, "input").mean(optionalDims(options), options.keepdim === true) }),
  var: (inputs, options) => ({
    output: input(inputs, "input").var(optionalDims(options), {
      unbiased: booleanOption(options, "unbiased"),
      keepdim: booleanOption(options, "keepdim"),
    }),
  }),

  add: binary((a, b) => a.add(b)),
  sub: binary((a, b) => a.sub(b)),
  mul: binary((a, b) => a.mul(b)),
  div: binary((a, b) => a.div(b)),
  scalar_arithmetic: (inputs, options) => {
    const a = input(inputs, "a");
    const scalars = options.scalar as OpOptions;
    return {
      add: a.add(numberOption(scalars, "add")),
      sub: a.sub(numberOption(scalars, "sub")),
      mul: a.mul(numberOption(scalars, "mul")),
      div: a.div(numberOption(scalars, "div")),
    };
  },
  comparisons: (inputs) => {
    const a = input(inputs, "a");
    const b = input(inputs, "b");
    return { eq: a.eq(b), ne: a.ne(b), lt: a.lt(b), le: a.le(b), gt: a.gt(b), ge: a.ge(b), gtScalar: a.gt(0) };
  },
};

const fixture = loadGoldenFixture();

test("fixture covers every runner", () => {
  const recordedOps = new Set(fixture.ops.map((opCase) => opCase.op));
  for (const op of Object.keys(runners)) assert.ok(recordedOps.has(op), `no fixture case exercises the '${op}' runner`);
  for (const op of recordedOps) assert.ok(op in runners, `fixture op '${op}' has no runner`);
});

for (const opCase of fixture.ops) {
  test(`${opCase.name} matches PyTorch`, () => {
    tidy(() => {
      const runner = runners[opCase.op];
      assert.ok(runner !== undefined, `no runner for fixture op '${opCase.op}'`);

      const inputs: Inputs = {};
      for (const [name, stored] of Object.entries(opCase.inputs)) inputs[name] = tensorFromFixture(stored);
      const differentiable = Object.keys(opCase.gradients);
      for (const name of differentiable) input(inputs, name).requiresGrad_();

      const outputs = runner(inputs, opCase.options);

      assert.deepEqual(Object.keys(outputs).sort(), Object.keys(opCase.outputs).sort(), "output names");
      for (const [name, expected] of Object.entries(opCase.outputs)) {
        assertTensorClose(outputs[name], expected, `${opCase.name}: output ${name}`);
      }
      if (differentiable.length === 0) return;

      const weighted = Object.keys(opCase.outputWeights);
      for (const name of weighted) assert.ok(outputs[name].requiresGrad, `${opCase.name}: output ${name} should require gradients`);
      const computed = gradients(
        weighted.map((name) => outputs[name]),
        differentiable.map((name) => inputs[name]),
        { gradOutputs: weighted.map((name) => tensorFromFixture(opCase.outputWeights[name])) },
      );
      differentiable.forEach((name, index) => {
        assertTensorClose(computed[index], opCase.gradients[name], `${opCase.name}: gradient of ${name}`);
      });
    });
  });
}
