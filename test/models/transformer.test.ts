import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { CausalSelfAttention, Transformer, TransformerBlock } from "../../src/models/transformer.js";
import type { Module } from "../../src/nn/index.js";
import { gradients, manualSeed, noGrad, randn, tensor, type Tensor } from "../../src/torch/index.js";
import { assertTensorClose } from "../torch/assert-close.js";
import { tensorFromFixture, type FixtureTensor } from "../torch/golden-fixture.js";

interface AttentionFixture {
  header: { command: string; torch: string; seed: number };
  dModel: number;
  nHeads: number;
  parameters: Record<string, FixtureTensor>;
  input: FixtureTensor;
  output: FixtureTensor;
  attentionWeights: FixtureTensor;
  outputWeight: FixtureTensor;
  gradients: Record<string, FixtureTensor>;
}

// Compiled tests run from dist/test/models; the fixture stays in the source tree.
const fixturePath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../test/fixtures/attention-golden.json");

function smallModel(options: Partial<ConstructorParameters<typeof Transformer>[0]> = {}): Transformer {
  return new Transformer({ vocabSize: 11, contextLength: 12, dModel: 16, nHeads: 2, nLayers: 3, dropout: 0, ...options });
}

function tokens(rows: number[][]): Tensor {
  return tensor(rows, { dtype: "int64" });
}

/** Converts every parameter to float64 in place, keeping its identity. */
function toFloat64(module: Module): void {
  noGrad(() => {
    for (const parameter of module.parameters()) parameter.setData_(parameter.double());
  });
}

test("logits do not depend on later tokens", () => {
  manualSeed(0);
  const model = smallModel().eval();
  const first = [[3, 1, 4, 1, 5, 9, 2, 6]];
  const second = [[3, 1, 4, 1, 0, 10, 7, 7]]; // differs from position 4 on
  const [a, b] = noGrad(() => [model.forward(tokens(first)), model.forward(tokens(second))]);

  const earlier = (logits: Tensor) => logits.narrow(1, 0, 4).toNumbers();
  const later = (logits: Tensor) => logits.narrow(1, 4, 4).toNumbers();
  assert.deepEqual(earlier(a), earlier(b));
  assert.notDeepEqual(later(a), later(b));
});

test("attention gradient ignores later positions", () => {
  manualSeed(1);
  const attention = new CausalSelfAttention(8, 2);
  const input = randn([1, 6, 8]).requiresGrad_(true);
  const output = attention.forward(input); // [1, 6, 8]

  // d(output at position 2)/d(input): rows 3..5 must be exactly 0, rows 0..2 must not.
  const [gradient] = gradients([output.narrow(1, 2, 1).sum()], [input]);
  assert.deepEqual(gradient.narrow(1, 3, 3).abs().max().item(), 0);
  assert.ok(gradient.narrow(1, 0, 3).abs().max().item() > 0);
});

test("attention matches PyTorch MultiheadAttention", () => {
  const fixture = JSON.parse(readFileSync(fixturePath, "utf8")) as AttentionFixture;
  const attention = new CausalSelfAttention(fixture.dModel, fixture.nHeads);
  toFloat64(attention);
  attention.loadStateDict(new Map(Object.entries(fixture.parameters).map(([name, stored]) => [name, tensorFromFixture(stored)])));

  const input = tensorFromFixture(fixture.input).requiresGrad_(true);
  const { output, weights } = attention.forwardWithWeights(input);
  assertTensorClose(output, fixture.output, "output");
  assertTensorClose(weights, fixture.attentionWeights, "attention weights");

  const named = new Map(attention.namedParameters());
  const names = Object.keys(fixture.gradients).filter((name) => name !== "input");
  const differentiable = [input, ...names.map((name) => named.get(name)!)];
  const computed = gradients([output.mul(tensorFromFixture(fixture.outputWeight)).sum()], differentiable);
  ["input", ...names].forEach((name, i) => assertTensorClose(computed[i], fixture.gradients[name], `gradient of ${name}`));
});

for (const norm of ["pre", "post"] as const) {
  test(`plain ${norm}-LN block composes its sublayers`, () => {
    manualSeed(2);
    const block = new TransformerBlock(16, 4, { norm, residual: false }).eval();
    const input = randn([2, 5, 16]);
    const [output, expected] = noGrad(() => {
      const attention = (x: Tensor) => block.selfAttention.forward(x);
      const mlp = (x: Tensor) => block.mlp!.forward(x);
      const norm1 = (x: Tensor) => block.norm1.forward(x);
      const norm2 = (x: Tensor) => block.norm2!.forward(x);
      const composed = norm === "pre" ? mlp(norm2(attention(norm1(input)))) : norm2(mlp(norm1(attention(input))));
      return [block.forward(input), composed];
    });
    assert.deepEqual(output.toNumbers(), expected.toNumbers());
  });

  test(`residual ${norm}-LN block adds both skips`, () => {
    manualSeed(3);
    const block = new TransformerBlock(16, 4, { norm, residual: true }).eval();
    const input = randn([2, 5, 16]);
    const [output, expected] = noGrad(() => {
      const attention = (x: Tensor) => block.selfAttention.forward(x);
      const mlp = (x: Tensor) => block.mlp!.forward(x);
      const norm1 = (x: Tensor) => block.norm1.forward(x);
      const norm2 = (x: Tensor) => block.norm2!.forward(x);
      let composed: Tensor;
      if (norm === "pre") {
        const afterAttention = input.add(attention(norm1(input)));
        composed = afterAttention.add(mlp(norm2(afterAttention)));
      } else {
        const afterAttention = norm1(input.add(attention(input)));
        composed = norm2(afterAttention.add(mlp(afterAttention)));
      }
      return [block.forward(input), composed];
    });
    assert.deepEqual(output.toNumbers(), expected.toNumbers());
  });
}

test("plain twin keeps parameters and init", () => {
  manualSeed(4);
  const residual = smallModel();
  manualSeed(4);
  const plain = smallModel({ residual: false });

  const residualParameters = residual.namedParameters();
  const plainParameters = plain.namedParameters();
  assert.deepEqual(plainParameters.map(([name]) => name), residualParameters.map(([name]) => name));
  residualParameters.forEach(([name, parameter], i) => assert.deepEqual(plainParameters[i][1].toNumbers(), parameter.toNumbers(), name));

  const input = tokens([[1, 2, 3, 4]]);
  const [a, b] = noGrad(() => [residual.forward(input), plain.forward(input)]);
  assert.notDeepEqual(a.toNumbers(), b.toNumbers());
});

test("hidden states cover embedding and blocks", () => {
  manualSeed(5);
  const model = smallModel({ nLayers: 3 });
  const states = noGrad(() => model.hiddenStates(tokens([[1, 2, 3], [4, 5, 6]])));
  assert.equal(states.length, 4);
  for (const state of states) assert.deepEqual(state.shape, [2, 3, 16]);

  const logits = noGrad(() => model.forward(tokens([[1, 2, 3], [4, 5, 6]])));
  assert.deepEqual(logits.shape, [2, 3, 11]);
});

test("parameter names and count", () => {
  const model = smallModel({ nLayers: 2 });
  const names = model.namedParameters().map(([name]) => name);
  assert.equal(names[0], "tokenEmbedding");
  assert.ok(names.includes("blocks.1.selfAttention.inProjection.weight"));
  assert.ok(names.includes("blocks.0.mlp.linear2.bias"));
  assert.equal(names.at(-1), "head.weight");

  // Per block: 2 LayerNorms, attention (4·D² + 4·D), MLP (8·D² + 5·D); then embeddings, final LayerNorm, head.
  const d = 16;
  const perBlock = 2 * 2 * d + (4 * d * d + 4 * d) + (8 * d * d + 5 * d);
  const expected = 11 * d + 12 * d + 2 * perBlock + 2 * d + d * 11;
  assert.equal(model.numParameters(), expected);
});

test("post-LN model has no final norm", () => {
  const model = smallModel({ norm: "post" });
  assert.equal(model.finalNorm, null);
  assert.ok(!model.namedParameters().some(([name]) => name.startsWith("finalNorm")));
});

test("attention-only blocks have no MLP", () => {
  const model = smallModel({ mlp: false });
  assert.ok(!model.namedParameters().some(([name]) => name.includes(".mlp.") || name.includes(".norm2.")));
  const logits = noGrad(() => model.forward(tokens([[1, 2, 3]])));
  assert.deepEqual(logits.shape, [1, 3, 11]);
});

test("residual projections get scaled init", () => {
  manualSeed(6);
  const model = new Transformer({ vocabSize: 50, contextLength: 8, dModel: 64, nHeads: 4, nLayers: 8, dropout: 0 });
  const block = model.transformerBlocks()[0];
  const std = (t: Tensor) => t.std().item();
  const expectedProjection = 0.02 / Math.sqrt(16);
  assert.ok(Math.abs(std(block.selfAttention.inProjection.weight) - 0.02) < 0.002);
  assert.ok(Math.abs(std(block.selfAttention.outProjection.weight) - expectedProjection) < 0.1 * expectedProjection);
  assert.ok(Math.abs(std(block.mlp!.linear2.weight) - expectedProjection) < 0.1 * expectedProjection);
  assert.equal(block.mlp!.linear1.bias!.abs().max().item(), 0);
});

test("invalid shapes are rejected", () => {
  assert.throws(() => new CausalSelfAttention(10, 3), /dModel \(10\) must be divisible by nHeads \(3\)/);
  assert.throws(() => new Transformer({ vocabSize: 0 }), /vocabSize must be a positive integer/);
  const model = smallModel({ contextLength: 4 });
  assert.throws(() => model.forward(tokens([[1, 2, 3, 4, 5]])), /sequence length 5 exceeds contextLength 4/);
  assert.throws(() => model.forward(randn([1, 4])), /expected int64 token ids/);
});
