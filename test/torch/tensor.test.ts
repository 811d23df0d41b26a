// Tensor creation and conversion, errors across the binding, tidy and noGrad.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  F,
  Optimizer,
  cat,
  isGradEnabled,
  keep,
  liveTensors,
  noGrad,
  ones,
  tensor,
  tidy,
  zeros,
  type Tensor,
} from "../../src/torch/index.js";

// --- TypedArray round trips ---------------------------------------------------------------

test("float32 round trip keeps every value", () => {
  const source = Float32Array.from([0, -0, 1.5, -2.25, 3.4028234663852886e38, 1e-45, Infinity, -Infinity, NaN]);
  const x = tensor(source, { shape: [3, 3] });

  const values = x.data();

  assert.equal(x.dtype, "float32");
  assert.deepEqual(x.shape, [3, 3]);
  assert.ok(values instanceof Float32Array);
  assert.deepEqual(Array.from(values), Array.from(source));
  assert.ok(Object.is(values[1], -0), "negative zero keeps its sign");
});

test("float64 round trip keeps every value", () => {
  const source = Float64Array.from([Math.PI, -0, 5e-324, Number.MAX_VALUE, 1 / 3, NaN]);
  const x = tensor(source, { shape: [2, 3] });

  const values = x.data();

  assert.equal(x.dtype, "float64");
  assert.ok(values instanceof Float64Array);
  assert.deepEqual(Array.from(values), Array.from(source));
  assert.ok(Object.is(values[1], -0), "negative zero keeps its sign");
});

test("int64 round trip keeps values beyond 2^53", () => {
  const source = BigInt64Array.from([0n, -1n, 2n ** 62n + 1n, -(2n ** 63n), 2n ** 63n - 1n]);
  const x = tensor(source);

  const values = x.data();

  assert.equal(x.dtype, "int64");
  assert.deepEqual(x.shape, [5]);
  assert.ok(values instanceof BigInt64Array);
  assert.deepEqual(Array.from(values), Array.from(source));
});

test("uint8 round trip keeps every value", () => {
  const source = Uint8Array.from([0, 1, 127, 128, 255, 42]);
  const x = tensor(source, { shape: [2, 3] });

  const values = x.data();

  assert.equal(x.dtype, "uint8");
  assert.ok(values instanceof Uint8Array);
  assert.deepEqual(Array.from(values), Array.from(source));
});

test("bool round trip keeps every value", () => {
  const source = Uint8Array.from([1, 0, 0, 1]);
  const x = tensor(source, { shape: [2, 2], dtype: "bool" });

  const values = x.data();

  assert.equal(x.dtype, "bool");
  assert.ok(values instanceof Uint8Array);
  assert.deepEqual(Array.from(values), [1, 0, 0, 1]);
});

test("tensor copies its source and data copies out", () => {
  const source = Float64Array.from([1, 2, 3]);
  const x = tensor(source);

  source[0] = 100;
  const first = x.data();
  first[1] = 200;

  assert.deepEqual(x.toNumbers(), [1, 2, 3]);
});

test("tensor reads a TypedArray view at its offset", () => {
  const backing = Float32Array.from([9, 1, 2, 3, 9]);
  const view = backing.subarray(1, 4);

  assert.deepEqual(tensor(view).toNumbers(), [1, 2, 3]);
});

// --- nested arrays and shape errors --------------------------------------------------------

test("nested arrays give shape and float32 by default", () => {
  const x = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  assert.deepEqual(x.shape, [2, 3]);
  assert.equal(x.dtype, "float32");
  assert.deepEqual(x.toNumbers(), [1, 2, 3, 4, 5, 6]);
});

test("nested arrays take the requested dtype", () => {
  const x = tensor([[[1], [2]], [[3], [4]]], { dtype: "float64" });
  const indices = tensor([[0, 5], [7, -2]], { dtype: "int64" });

  assert.deepEqual(x.shape, [2, 2, 1]);
  assert.equal(x.dtype, "float64");
  assert.equal(indices.dtype, "int64");
  assert.deepEqual(indices.toNumbers(), [0, 5, 7, -2]);
});

test("a number gives a 0-d tensor", () => {
  const x = tensor(2.5, { dtype: "float64" });

  assert.deepEqual(x.shape, []);
  assert.equal(x.item(), 2.5);
});

test("ragged nested arrays are rejected", () => {
  assert.throws(() => tensor([[1, 2], [3]]), RangeError);
  assert.throws(() => tensor([[1, 2], [3, 4, 5]]), RangeError);
});

test(
  "ragged arrays with a matching count are rejected",
  () => {
    // Shape [3, 2] is inferred from the first row, and the 6 values match it.
    assert.throws(() => tensor([[1, 2], [3, 4, 5], [6]]), RangeError);
  },
);

test("shape that does not match the values is rejected", () => {
  assert.throws(() => tensor([1, 2, 3], { shape: [2, 2] }), /3 values for 4 elements/);
  assert.throws(() => tensor(new Float32Array(6), { shape: [4, 2] }), RangeError);
  assert.throws(() => tensor(new Float32Array(6), { shape: [-2, -3] }), RangeError);
});

test("TypedArray of another dtype is rejected", () => {
  assert.throws(() => tensor(new Float32Array(3), { dtype: "float64" }), TypeError);
  assert.throws(() => tensor(new Int16Array(3)), TypeError);
});

test(
  "nested numbers become bool when nonzero",
  () => {
    // The values torch.tensor([0, 2, 0.5, -1, 256, nan], dtype=torch.bool) gives in PyTorch 1.13.
    const flags = tensor([0, 2, 0.5, -1, 256, NaN], { dtype: "bool" });

    assert.deepEqual(flags.toNumbers(), [0, 1, 1, 1, 1, 1]);
  },
);

test(
  "int64 beyond its range is rejected",
  () => {
    assert.throws(() => tensor([1e20], { dtype: "int64" }), /int64/);
  },
);

// --- dtype conversions ---------------------------------------------------------------------

test("float64 to float32 rounds to nearest", () => {
  const x = tensor(Float64Array.from([0.1, 1 / 3, 1e-50, 1e300]));

  const converted = x.float();

  assert.equal(converted.dtype, "float32");
  assert.deepEqual(converted.toNumbers(), [Math.fround(0.1), Math.fround(1 / 3), 0, Infinity]);
});

test("float32 to float64 is exact", () => {
  const x = tensor(Float32Array.from([0.1, -2.5]));

  assert.deepEqual(x.double().toNumbers(), [Math.fround(0.1), -2.5]);
  assert.equal(x.double().dtype, "float64");
});

test("float to int64 truncates toward zero", () => {
  const x = tensor([-1.7, 2.9, -0.5, 3]);

  const converted = x.long();

  assert.equal(converted.dtype, "int64");
  assert.deepEqual(converted.toNumbers(), [-1, 2, 0, 3]);
});

test("float to bool marks nonzero values", () => {
  const x = tensor([0, -0, 0.5, NaN]);

  const converted = x.to("bool");

  assert.equal(converted.dtype, "bool");
  assert.deepEqual(converted.toNumbers(), [0, 0, 1, 1]);
});

test("bool and uint8 convert to float", () => {
  const flags = tensor(Uint8Array.from([1, 0, 1]), { dtype: "bool" });
  const bytes = tensor(Uint8Array.from([0, 200, 255]));

  assert.deepEqual(flags.float().toNumbers(), [1, 0, 1]);
  assert.deepEqual(bytes.double().toNumbers(), [0, 200, 255]);
});

test("bfloat16 keeps 8 significant bits", () => {
  const x = tensor([3.14159, 1.00390625, -2.5e-3]);

  const converted = x.to("bfloat16");

  assert.equal(converted.dtype, "bfloat16");
  // The values PyTorch 1.13 gives. 1 + 2^-8 lies halfway between two bfloat16 values and rounds to even.
  assert.deepEqual(converted.toNumbers(), [3.140625, 1, -0.00250244140625]);
});

// --- errors across the binding -------------------------------------------------------------

test("matmul shape error names op and shapes", () => {
  const a = zeros([2, 3]);
  const b = zeros([4, 5]);

  assert.throws(
    () => a.matmul(b),
    (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /^matmul: /);
      assert.match(error.message, /\[2, 3\]/);
      assert.match(error.message, /\[4, 5\]/);
      return true;
    },
  );
  assert.deepEqual(a.matmul(zeros([3, 4])).shape, [2, 4], "the process keeps running after the error");
});

test("conv2d channel mismatch names op and shapes", () => {
  const input = zeros([1, 1, 5, 5]);
  const weight = zeros([2, 3, 3, 3]);

  assert.throws(
    () => F.conv2d(input, weight),
    (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /^conv2d: /);
      assert.match(error.message, /\[1, 1, 5, 5\]/);
      assert.match(error.message, /\[2, 3, 3, 3\]/);
      return true;
    },
  );
  assert.deepEqual(F.conv2d(input, zeros([2, 1, 3, 3])).shape, [1, 2, 3, 3], "the process keeps running after the error");
});

test("conv2d rank error names the layout", () => {
  assert.throws(() => F.conv2d(zeros([28, 28]), zeros([1, 1, 3, 3])), /conv2d: expected input \[N, C, H, W\], got \[28, 28\]/);
});

test("non-tensor argument throws TypeError", () => {
  const x = zeros([2, 2]);
  const notTensor = { shape: [2, 2] } as unknown as Tensor;

  assert.throws(() => x.add("1" as unknown as number), { name: "TypeError", message: /^add: argument 1 must be a tensor/ });
  assert.throws(() => x.matmul(notTensor), { name: "TypeError", message: /^matmul: argument 1 must be a tensor/ });
  assert.throws(() => F.linear(x, 3 as unknown as Tensor), { name: "TypeError", message: /^linear: argument 1 must be a tensor/ });
  assert.throws(() => cat([x, null as unknown as Tensor]), TypeError);
  assert.throws(() => F.conv2d({} as Tensor, x), TypeError);
  // A look-alike with a plausible shape passes the TypeScript rank check and reaches the addon's.
  const lookAlike = { shape: [1, 1, 5, 5] } as unknown as Tensor;
  assert.throws(() => F.conv2d(lookAlike, zeros([1, 1, 3, 3])), { name: "TypeError", message: /^conv2d: expected input to be a Tensor/ });
});

test("disposed tensor throws instead of crashing", () => {
  const x = ones([2, 2]);
  x.dispose();

  assert.equal(x.isDisposed, true);
  assert.throws(() => x.add(1), /^Error: add: argument 0 is a disposed tensor/);
  assert.throws(() => x.data(), /disposed tensor/);
  assert.throws(() => x.shape, /disposed tensor/);
  assert.throws(() => ones([2, 2]).mul(x), /mul: argument 1 is a disposed tensor/);
  assert.throws(() => new Optimizer("sgd", [{ params: [x], weightDecay: 0 }], { lr: 0.1 }), TypeError);
  assert.doesNotThrow(() => x.dispose(), "a second dispose is a no-op");
});

// --- tidy ----------------------------------------------------------------------------------

test("tidy disposes intermediates and keeps the result", () => {
  const before = liveTensors().count;
  const intermediates: Tensor[] = [];

  const result = tidy(() => {
    const a = ones([3]);
    const b = a.mul(2);
    intermediates.push(a, b);
    return b.add(1);
  });

  assert.equal(liveTensors().count, before + 1);
  assert.ok(intermediates.every((t) => t.isDisposed));
  assert.equal(result.isDisposed, false);
  assert.deepEqual(result.toNumbers(), [3, 3, 3]);
});

test("tidy keeps tensors in returned arrays and objects", () => {
  const before = liveTensors().count;

  const result = tidy(() => {
    const scratch = zeros([4]);
    return { pair: [scratch.add(1), scratch.add(2)], single: scratch.add(3), label: "kept" };
  });

  assert.equal(liveTensors().count, before + 3);
  assert.deepEqual(result.pair[1].toNumbers(), [2, 2, 2, 2]);
  assert.deepEqual(result.single.toNumbers(), [3, 3, 3, 3]);
  assert.equal(result.label, "kept");
});

test("nested tidy hands its result to the outer scope", () => {
  const before = liveTensors().count;
  let inner: Tensor | null = null;

  tidy(() => {
    inner = tidy(() => ones([2]).add(1));
    assert.equal(inner.isDisposed, false, "alive while the outer scope runs");
    return null;
  });

  assert.equal((inner as Tensor | null)?.isDisposed, true, "disposed when the outer scope ends");
  assert.equal(liveTensors().count, before);
});

test("keep protects a tensor from tidy", () => {
  let keptTensor: Tensor | null = null;

  tidy(() => {
    keptTensor = keep(ones([2]));
    ones([2]);
  });

  assert.equal((keptTensor as Tensor | null)?.isDisposed, false);
});

test("tidy rejects an async function", () => {
  assert.throws(() => tidy(async () => ones([1])), /tidy: fn must be synchronous/);
});

test(
  "tidy disposes its tensors when fn throws",
  () => {
    const before = liveTensors().count;

    assert.throws(() =>
      tidy(() => {
        ones([8]).add(1);
        throw new Error("step failed");
      }),
    );

    assert.equal(liveTensors().count, before);
  },
);

// --- noGrad --------------------------------------------------------------------------------

test("noGrad stops recording and restores it", () => {
  const x = ones([2], "float64").requiresGrad_();

  const inside = noGrad(() => ({ enabled: isGradEnabled(), result: x.mul(2) }));

  assert.equal(inside.enabled, false);
  assert.equal(inside.result.requiresGrad, false);
  assert.equal(isGradEnabled(), true);
  assert.equal(x.mul(2).requiresGrad, true);
});

test("noGrad restores recording when fn throws", () => {
  assert.throws(
    () =>
      noGrad(() => {
        throw new Error("inside noGrad");
      }),
    /inside noGrad/,
  );

  assert.equal(isGradEnabled(), true);
});

test("nested noGrad restores the outer mode", () => {
  noGrad(() => {
    noGrad(() => assert.equal(isGradEnabled(), false));
    assert.equal(isGradEnabled(), false, "still off after the inner scope");
  });

  assert.equal(isGradEnabled(), true);
});
