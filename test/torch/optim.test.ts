// SGD, Adam and AdamW against PyTorch's torch.optim over five steps of a tiny float64
// regression problem recorded in test/fixtures/ops-golden.json.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Optimizer, tidy, type Tensor } from "../../src/torch/index.js";
import { assertTensorClose, assertValuesClose, float64Tolerance } from "./assert-close.js";
import { loadGoldenFixture, tensorFromFixture, type FixtureTensor, type OptimizerRun } from "./golden-fixture.js";

const { problem, runs } = loadGoldenFixture().optimizers;

interface Parameters {
  weight: Tensor;
  bias: Tensor;
}

function findRun(name: string): OptimizerRun {
  const run = runs.find((candidate) => candidate.name === name);
  if (run === undefined) throw new Error(`fixture has no optimizer run '${name}'`);
  return run;
}

function makeParameters(weight: FixtureTensor, bias: FixtureTensor): Parameters {
  return { weight: tensorFromFixture(weight).requiresGrad_(), bias: tensorFromFixture(bias).requiresGrad_() };
}

function makeOptimizer(run: OptimizerRun, parameters: Parameters): Optimizer {
  const groups = run.groups.map((group) => ({ params: group.params.map((name) => parameters[name]), weightDecay: group.weightDecay }));
  return new Optimizer(run.kind, groups, run.options);
}

/** Runs one step on mean((x @ weightᵀ + bias - y)²) and returns the loss before the update. */
function trainStep(optimizer: Optimizer, parameters: Parameters): number {
  return tidy(() => {
    optimizer.zeroGrad();
    const x = tensorFromFixture(problem.x); // [4, 2]
    const y = tensorFromFixture(problem.y); // [4, 3]
    const prediction = x.matmul(parameters.weight.transpose(0, 1)).add(parameters.bias); // [4, 3]
    const loss = prediction.sub(y).square().mean();
    loss.backward();
    optimizer.step();
    return loss.item();
  });
}

/** Runs steps [first, end) of a fixture run, applying its schedule, and compares each step. */
function runAndCompare(run: OptimizerRun, optimizer: Optimizer, parameters: Parameters, first: number, end: number): void {
  for (let step = first; step < end; step++) {
    const change = run.schedule[step];
    if (change !== null) optimizer.setHyperparameters({ lr: change.lr, momentum: change.momentum });

    const loss = trainStep(optimizer, parameters);

    const expected = run.steps[step];
    assertValuesClose([loss], [expected.loss], float64Tolerance, `${run.name}: loss at step ${step + 1}`);
    assertTensorClose(parameters.weight, expected.weight, `${run.name}: weight after step ${step + 1}`);
    assertTensorClose(parameters.bias, expected.bias, `${run.name}: bias after step ${step + 1}`);
  }
}

for (const run of runs) {
  test(`${run.name} matches PyTorch`, () => {
    const parameters = makeParameters(problem.weight, problem.bias);
    const optimizer = makeOptimizer(run, parameters);

    runAndCompare(run, optimizer, parameters, 0, run.steps.length);
  });
}

test("fixture covers weight decay on one group only", () => {
  for (const name of ["sgd with momentum", "adam", "adamw fastai betas"]) {
    const decays = findRun(name).groups.map((group) => group.weightDecay);
    assert.deepEqual(decays, [0.01, 0], `${name}: weight decay per group`);
  }
  const adamw = findRun("adamw fastai betas").options;
  assert.deepEqual([adamw.momentum, adamw.beta2, adamw.eps], [0.9, 0.99, 1e-5]);
});

test("setHyperparameters updates lr and momentum", () => {
  const parameters = makeParameters(problem.weight, problem.bias);
  const optimizer = makeOptimizer(findRun("sgd with momentum"), parameters);

  optimizer.setHyperparameters({ lr: 0.03 });
  assert.equal(optimizer.lr, 0.03);
  assert.equal(optimizer.momentum, 0.9);

  optimizer.setHyperparameters({ momentum: 0.5 });
  assert.equal(optimizer.lr, 0.03);
  assert.equal(optimizer.momentum, 0.5);
});

for (const name of ["sgd with momentum", "adam", "adamw with changing lr and beta1"]) {
  test(`${name} resumes from stateDict`, () => {
    const run = findRun(name);
    const resumeAfter = 2;
    const first = makeParameters(problem.weight, problem.bias);
    const firstOptimizer = makeOptimizer(run, first);
    runAndCompare(run, firstOptimizer, first, 0, resumeAfter);
    const state = firstOptimizer.stateDict();
    const lastChange = run.schedule.slice(0, resumeAfter).filter((change) => change !== null).at(-1) ?? null;

    // A fresh optimizer on copies of the parameters, as after loading a checkpoint.
    const resumed = makeParameters(run.steps[resumeAfter - 1].weight, run.steps[resumeAfter - 1].bias);
    const resumedOptimizer = makeOptimizer(run, resumed);
    resumedOptimizer.loadStateDict(state);
    // The state contains per-parameter buffers but not lr or momentum, so the schedule's current values are set again.
    if (lastChange !== null) resumedOptimizer.setHyperparameters(lastChange);

    const reloaded = resumedOptimizer.stateDict();
    assert.equal(reloaded.entries.length, state.entries.length);
    state.entries.forEach((entry, index) => {
      assert.ok(entry !== null, `entry ${index} is set after ${resumeAfter} steps`);
      assert.equal(reloaded.entries[index]?.step, entry.step, `entry ${index}: step`);
      for (const [buffer, value] of Object.entries(entry.buffers)) {
        const stored = { shape: value.shape, dtype: value.dtype, values: value.toNumbers() };
        const reloadedBuffer = reloaded.entries[index]?.buffers[buffer];
        assert.ok(reloadedBuffer !== undefined, `entry ${index}: buffer ${buffer} is missing after loading`);
        assertTensorClose(reloadedBuffer, stored, `entry ${index}: buffer ${buffer}`);
      }
    });

    runAndCompare(run, resumedOptimizer, resumed, resumeAfter, run.steps.length);
  });
}

test("loadStateDict rejects another optimizer kind", () => {
  const parameters = makeParameters(problem.weight, problem.bias);
  const sgdState = makeOptimizer(findRun("sgd with momentum"), parameters).stateDict();
  const adam = makeOptimizer(findRun("adam"), parameters);

  assert.throws(() => adam.loadStateDict(sgdState), /cannot load sgd state into a adam optimizer/);
});
