// `residual-lab experiment` flags: bad depths and datasets fail before anything trains.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseExperimentFlags } from "../../src/cli/experiment-command.js";
import { UsageError } from "../../src/cli/usage-error.js";
import { degradation, gradients } from "../../src/experiments/index.js";

test("ResNet experiments reject depths that are not 6n+2", () => {
  assert.throws(() => parseExperimentFlags(["degradation", "--depths", "20,10"]), (error: Error) => error instanceof UsageError && /--depths: degradation trains ResNets of 6n\+2 layers .*got 10/.test(error.message));
  assert.throws(() => parseExperimentFlags(["all", "--depths", "2"]), /lesion, landscape train ResNets .*got 2/);
  assert.deepEqual(parseExperimentFlags(["degradation", "--depths", "8,20,56"]).overrides.depths, [8, 20, 56]);
});

test("shattered and transformer take any depth", () => {
  assert.deepEqual(parseExperimentFlags(["shattered", "--depths", "3,10"]).overrides.depths, [3, 10]);
  assert.deepEqual(parseExperimentFlags(["transformer", "--depths", "1,5"]).overrides.depths, [1, 5]);
});

test("datasets must be known names or folders", () => {
  assert.throws(() => parseExperimentFlags(["lesion", "--datasets", ",mnist"]), /--datasets has an empty entry/);
  assert.throws(() => parseExperimentFlags(["lesion", "--datasets", "/no/such/folder"]), /'\/no\/such\/folder' is neither mnist/);
  assert.deepEqual(parseExperimentFlags(["all", "--datasets", "fashion-mnist,sorting"]).overrides.datasets, ["fashion-mnist", "sorting"]);
});

test("datasets must suit the named experiment", () => {
  assert.throws(() => parseExperimentFlags(["lesion", "--datasets", "sorting"]), /--datasets: lesion reads mnist, fashion-mnist or a folder of IDX files, not 'sorting'/);
  assert.throws(() => parseExperimentFlags(["transformer", "--datasets", "mnist"]), /--datasets: transformer reads sorting or devils-dictionary, not 'mnist'/);
  assert.throws(() => parseExperimentFlags(["shattered", "--datasets", "fashion-mnist"]), /--datasets: shattered reads no dataset/);
  assert.deepEqual(parseExperimentFlags(["transformer", "--datasets", "devils-dictionary"]).overrides.datasets, ["devils-dictionary"]);
});

test("ResNet experiments skip transformer task names", () => {
  assert.deepEqual(degradation.configFor("quick", { datasets: ["fashion-mnist", "sorting"] }).datasets, ["fashion-mnist"]);
  assert.deepEqual(degradation.configFor("quick", { datasets: ["sorting"] }).datasets, ["mnist", "fashion-mnist"]);
  assert.equal(gradients.configFor("quick", { datasets: ["devils-dictionary", "fashion-mnist"] }).dataset, "fashion-mnist");
});
