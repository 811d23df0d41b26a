// The fused optimizer loops against libtorch's own step: the same float32 net trained side by side
// with fused: true and fused: false, for each optimizer recipe of the PyTorch fixture, must agree
// after every step and keep the same state. Each step starts both nets from the same weights.
import assert from "node:assert/strict";
import { test } from "node:test";
import { BatchNorm2d, Conv2d, Linear, Module } from "../../src/nn/index.js";
import { F, manualSeed, Optimizer, randint, randn, tensor, tidy, type Tensor } from "../../src/torch/index.js";
import { assertTensorClose, float32Tolerance } from "./assert-close.js";
import { loadGoldenFixture } from "./golden-fixture.js";

/** Conv, BatchNorm and two Linear layers; `unused` never gets a gradient. */
class SmallNet extends Module {
  readonly conv = this.registerModule("conv", new Conv2d(4, 16, 3, { padding: 1, bias: false }));
  readonly bn = this.registerModule("bn", new BatchNorm2d(16));
  readonly hidden = this.registerModule("hidden", new Linear(16 * 8 * 8, 64));
  readonly head = this.registerModule("head", new Linear(64, 10));
  readonly unused = this.registerModule("unused", new Linear(3, 3));

  forward(x: Tensor): Tensor {
    const features = F.relu(this.bn.forward(this.conv.forward(x))).flatten(1); // [B, 1024]
    return this.head.forward(F.relu(this.hidden.forward(features))); // [B, 10]
  }
}

function makeNet(channelsLast: boolean): SmallNet {
  manualSeed(7);
  const net = new SmallNet().train();
  return channelsLast ? net.toMemoryFormat("channels_last") : net;
}

function makeOptimizer(net: SmallNet, kind: "sgd" | "adam" | "adamw", options: Record<string, number>, fused: boolean): Optimizer {
  const parameters = net.namedParameters();
  const decayed = parameters.filter(([name]) => name.endsWith("weight")).map(([, parameter]) => parameter);
  const undecayed = parameters.filter(([name]) => !name.endsWith("weight")).map(([, parameter]) => parameter);
  return new Optimizer(
    kind,
    [
      { params: decayed, weightDecay: 0.01 },
      { params: undecayed, weightDecay: 0 },
    ],
    { ...(options as { lr: number }), fused },
  );
}

function step(net: SmallNet, optimizer: Optimizer, images: Tensor, labels: Tensor): void {
  tidy(() => {
    optimizer.zeroGrad();
    F.crossEntropy(net.forward(images), labels).backward();
    optimizer.step();
  });
}

const recipes = loadGoldenFixture().optimizers.runs;

for (const recipe of recipes) {
  for (const channelsLast of [false, true]) {
    test(`fused ${recipe.name} matches libtorch's step${channelsLast ? " (channels_last)" : ""}`, () => {
      const fusedNet = makeNet(channelsLast);
      const referenceNet = makeNet(channelsLast);
      const fused = makeOptimizer(fusedNet, recipe.kind, recipe.options, true);
      const reference = makeOptimizer(referenceNet, recipe.kind, recipe.options, false);
      manualSeed(1);
      const images = randn([6, 4, 8, 8]).contiguous(channelsLast ? "channels_last" : "contiguous"); // [6, 4, 8, 8]
      const labels = randint(0, 10, [6]); // [6]

      recipe.schedule.forEach((change, index) => {
        if (change !== null) {
          fused.setHyperparameters(change);
          reference.setHyperparameters(change);
        }
        step(fusedNet, fused, images, labels);
        step(referenceNet, reference, images, labels);
        assert.equal(fused.lastStepWasFused, true, "the fused loops ran");
        assert.equal(reference.lastStepWasFused, false, "libtorch's step ran");

        const expected = new Map(referenceNet.namedParameters());
        for (const [name, parameter] of fusedNet.namedParameters()) {
          const want = expected.get(name)!;
          assertTensorClose(parameter, { shape: want.shape, dtype: want.dtype, values: want.toNumbers() }, `${name} after step ${index + 1}`);
        }

        // The next step starts from the same weights, so both nets get the same gradients. Otherwise
        // each step's rounding feeds back through the next gradients and grows with the BLAS in use.
        for (const [name, parameter] of fusedNet.namedParameters()) parameter.copy_(expected.get(name)!);
      });

      const fusedState = fused.stateDict().entries;
      const referenceState = reference.stateDict().entries;
      assert.equal(fusedState.length, referenceState.length);
      fusedState.forEach((entry, index) => {
        const want = referenceState[index];
        assert.equal(entry === null, want === null, `entry ${index}: state exists in one path only`);
        if (entry === null || want === null) return;
        assert.equal(entry.step, want.step, `entry ${index}: step`);
        assert.deepEqual(Object.keys(entry.buffers).sort(), Object.keys(want.buffers).sort(), `entry ${index}: buffer names`);
        for (const [name, buffer] of Object.entries(entry.buffers)) {
          const wanted = want.buffers[name];
          assertTensorClose(buffer, { shape: wanted.shape, dtype: wanted.dtype, values: wanted.toNumbers() }, `entry ${index}: ${name}`);
        }
      });
    });
  }
}

test("fused steps leave a parameter without a gradient and without state untouched", () => {
  const net = makeNet(false);
  const before = net.unused.weight.toNumbers();
  const optimizer = makeOptimizer(net, "adamw", { lr: 0.1 }, true);
  step(net, optimizer, randn([2, 4, 8, 8]), randint(0, 10, [2]));

  assert.deepEqual(net.unused.weight.toNumbers(), before);
  const unusedIndex = optimizer.groups[0].params.indexOf(net.unused.weight);
  assert.equal(optimizer.stateDict().entries[unusedIndex], null);
});

test("a float32 tolerance separates the paths only by rounding", () => {
  // Guards the comparison above: one reference step apart is far outside the tolerance.
  const once = makeNet(false);
  const twice = makeNet(false);
  const images = randn([6, 4, 8, 8]);
  const labels = randint(0, 10, [6]);
  const first = makeOptimizer(once, "adamw", { lr: 0.01 }, true);
  const second = makeOptimizer(twice, "adamw", { lr: 0.01 }, true);
  step(once, first, images, labels);
  step(twice, second, images, labels);
  step(twice, second, images, labels);

  assert.throws(() =>
    assertTensorClose(once.hidden.weight, { shape: twice.hidden.weight.shape, dtype: "float32", values: twice.hidden.weight.toNumbers() }, "one step apart"),
  );
  assert.ok(float32Tolerance.relative <= 1e-5);
});

test("float64 parameters take libtorch's step even when fused is asked for", () => {
  const weight = randn([3, 3], "float64").requiresGrad_();
  const optimizer = new Optimizer("adam", [{ params: [weight], weightDecay: 0 }], { lr: 0.1 });
  tidy(() => weight.square().sum().backward());
  optimizer.step();

  assert.equal(optimizer.lastStepWasFused, false);
});

test("contiguous checkpoint buffers resume fused on channels_last weights", () => {
  const images = randn([6, 4, 8, 8]).contiguous("channels_last");
  const labels = randint(0, 10, [6]);
  const trained = makeNet(true);
  const first = makeOptimizer(trained, "adamw", { lr: 0.01 }, true);
  step(trained, first, images, labels);

  // A checkpoint stores every buffer contiguous.
  const stored = first.stateDict();
  const entries = stored.entries.map((entry) =>
    entry === null ? null : { step: entry.step, buffers: Object.fromEntries(Object.entries(entry.buffers).map(([name, buffer]) => [name, buffer.contiguous()])) },
  );
  const resumed = makeOptimizer(trained, "adamw", { lr: 0.01 }, true);
  resumed.loadStateDict({ kind: stored.kind, entries });
  const reference = makeNet(true);
  for (const [name, parameter] of reference.namedParameters()) parameter.setData_(new Map(trained.namedParameters()).get(name)!.clone());
  const referenceOptimizer = makeOptimizer(reference, "adamw", { lr: 0.01 }, false);
  referenceOptimizer.loadStateDict({ kind: stored.kind, entries });

  step(trained, resumed, images, labels);
  step(reference, referenceOptimizer, images, labels);

  assert.equal(resumed.lastStepWasFused, true);
  const want = reference.conv.weight;
  assertTensorClose(trained.conv.weight, { shape: want.shape, dtype: want.dtype, values: want.toNumbers() }, "conv weight after the resumed step");
});

test("a buffer of the wrong shape is rejected at load", () => {
  const net = makeNet(false);
  const optimizer = makeOptimizer(net, "adamw", { lr: 0.01 }, true);
  step(net, optimizer, randn([2, 4, 8, 8]), randint(0, 10, [2]));
  const state = optimizer.stateDict();
  const index = state.entries.findIndex((entry) => entry !== null);
  const entry = state.entries[index]!;
  state.entries[index] = { step: entry.step, buffers: { ...entry.buffers, exp_avg: randn([3]) } };

  assert.throws(() => makeOptimizer(net, "adamw", { lr: 0.01 }, true).loadStateDict(state), /buffer exp_avg has shape \[3\]/);
});

test("zero weight decay keeps an inf weight out of the moments", () => {
  const weight = tensor([Number.POSITIVE_INFINITY, 1]).requiresGrad_();
  const optimizer = new Optimizer("adam", [{ params: [weight], weightDecay: 0 }], { lr: 0.1 });
  tidy(() => weight.mul(tensor([2, 3])).sum().backward());
  optimizer.step();

  assert.equal(optimizer.lastStepWasFused, true);
  const moments = optimizer.stateDict().entries[0]!.buffers.exp_avg.toNumbers();
  assert.ok(moments.every(Number.isFinite), `exp_avg ${moments.join(", ")}`);
});
