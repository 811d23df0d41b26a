// Gradient checks by central finite differences in float64, as torch.autograd.gradcheck does.
import { gradients, manualSeed, noGrad, randn, tensor, tidy, type Tensor } from "../../src/torch/index.js";
import { assertValuesClose, type Tolerance } from "./assert-close.js";

/** A float64 input of the checked function, held as plain values so it can be perturbed. */
export interface CheckedInput {
  name: string;
  shape: number[];
  values: Float64Array;
}

export interface GradientCheckOptions {
  /** Step of the central difference. Default 1e-6. */
  eps?: number;
  /**
   * Default relative 1e-6, absolute 1e-8. The rounding error of a central difference is about
   * 1e-16 * |objective| / eps, an estimated 1e-9 for the objectives in gradcheck.test.ts.
   */
  tolerance?: Tolerance;
  /** Seed of the random weights that reduce a non-scalar output to one number. Default 0. */
  seed?: number;
}

/** Draws a float64 input from libtorch's generator, seeded by the caller for repeatability. */
export function randomInput(name: string, shape: number[], scale = 1): CheckedInput {
  const values = tidy(() => randn(shape, "float64").mul(scale).data());
  if (!(values instanceof Float64Array)) throw new TypeError(`randomInput: expected Float64Array values, got ${values.constructor.name}`);
  return { name, shape, values };
}

/**
 * Asserts that autograd's gradients of sum(fn(inputs) * weights), with fixed random weights of
 * the output's shape, match central differences (f(x + eps) - f(x - eps)) / (2 eps) at every
 * element of every input. fn must be deterministic and must not keep its inputs.
 */
export function assertGradientsMatchFiniteDifferences(fn: (inputs: Tensor[]) => Tensor, inputs: readonly CheckedInput[], options: GradientCheckOptions = {}): void {
  const { eps = 1e-6, tolerance = { relative: 1e-6, absolute: 1e-8 }, seed = 0 } = options;

  tidy(() => {
    const leaves = inputs.map((input) => tensor(input.values, { shape: input.shape }).requiresGrad_());
    const output = fn(leaves);
    manualSeed(seed);
    const weights = randn(output.shape, "float64");
    const analytic = gradients([output], leaves, { gradOutputs: [weights] }).map((gradient) => gradient.data());

    const objective = (values: Float64Array[]): number =>
      noGrad(() =>
        tidy(() => {
          const perturbed = values.map((value, index) => tensor(value, { shape: inputs[index].shape }));
          return fn(perturbed).mul(weights).sum().item();
        }),
      );

    inputs.forEach((input, inputIndex) => {
      const numeric = new Float64Array(input.values.length);
      const values = inputs.map((other) => other.values.slice());
      for (let i = 0; i < input.values.length; i++) {
        values[inputIndex][i] = input.values[i] + eps;
        const above = objective(values);
        values[inputIndex][i] = input.values[i] - eps;
        const below = objective(values);
        values[inputIndex][i] = input.values[i];
        numeric[i] = (above - below) / (2 * eps);
      }
      assertValuesClose(analytic[inputIndex] as Float64Array, numeric, tolerance, `gradient of ${input.name}`);
    });
  });
}
