// The typed face of a libtorch tensor. Every method calls one native op and returns a new
// Tensor, as PyTorch's out-of-place methods do; in-place writes end in an underscore.
import { dtypeOfTypedArray, isFloating, typedArrayFromNumbers, type DType } from "./dtype.js";
import { native, type MemoryFormat, type TensorHandle } from "./native.js";
import { registerTensorCheck, track } from "./scope.js";

export type Shape = readonly number[];
type Operand = Tensor | number;

function operand(value: Operand): TensorHandle | number {
  return typeof value === "number" ? value : value.handle;
}

export class Tensor {
  /** The native handle; owned by this object. */
  readonly handle: TensorHandle;

  constructor(handle: TensorHandle) {
    this.handle = handle;
    track(this);
  }

  get shape(): number[] {
    return native.shape(this.handle);
  }

  get dtype(): DType {
    return native.dtype(this.handle);
  }

  get device(): string {
    return native.device(this.handle);
  }

  get ndim(): number {
    return this.shape.length;
  }

  get numel(): number {
    return this.shape.reduce((product, size) => product * size, 1);
  }

  get isDisposed(): boolean {
    return native.isDisposed(this.handle);
  }

  /** Frees the tensor's memory now; later use of this tensor throws. */
  dispose(): void {
    native.dispose(this.handle);
  }

  // --- values out -------------------------------------------------------------------------

  /** Copies the values into a TypedArray (int64 as BigInt64Array, bool as Uint8Array). */
  data(): Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array {
    return native.toTypedArray(this.handle);
  }

  /** Copies the values into plain numbers, in row-major order. */
  toNumbers(): number[] {
    const values = this.data();
    return values instanceof BigInt64Array ? Array.from(values, Number) : Array.from(values);
  }

  /** Returns the value of a one-element tensor. */
  item(): number {
    return native.item(this.handle);
  }

  // --- elementwise ------------------------------------------------------------------------

  add(other: Operand): Tensor { return new Tensor(native.add(this.handle, operand(other))); }
  sub(other: Operand): Tensor { return new Tensor(native.sub(this.handle, operand(other))); }
  mul(other: Operand): Tensor { return new Tensor(native.mul(this.handle, operand(other))); }
  div(other: Operand): Tensor { return new Tensor(native.div(this.handle, operand(other))); }
  pow(exponent: Operand): Tensor { return new Tensor(native.pow(this.handle, operand(exponent))); }
  maximum(other: Operand): Tensor { return new Tensor(native.maximum(this.handle, operand(other))); }
  minimum(other: Operand): Tensor { return new Tensor(native.minimum(this.handle, operand(other))); }
  eq(other: Operand): Tensor { return new Tensor(native.eq(this.handle, operand(other))); }
  ne(other: Operand): Tensor { return new Tensor(native.ne(this.handle, operand(other))); }
  lt(other: Operand): Tensor { return new Tensor(native.lt(this.handle, operand(other))); }
  le(other: Operand): Tensor { return new Tensor(native.le(this.handle, operand(other))); }
  gt(other: Operand): Tensor { return new Tensor(native.gt(this.handle, operand(other))); }
  ge(other: Operand): Tensor { return new Tensor(native.ge(this.handle, operand(other))); }
  neg(): Tensor { return new Tensor(native.neg(this.handle)); }
  exp(): Tensor { return new Tensor(native.exp(this.handle)); }
  log(): Tensor { return new Tensor(native.log(this.handle)); }
  sqrt(): Tensor { return new Tensor(native.sqrt(this.handle)); }
  abs(): Tensor { return new Tensor(native.abs(this.handle)); }
  sign(): Tensor { return new Tensor(native.sign(this.handle)); }
  square(): Tensor { return new Tensor(native.square(this.handle)); }
  reciprocal(): Tensor { return new Tensor(native.reciprocal(this.handle)); }
  sin(): Tensor { return new Tensor(native.sin(this.handle)); }
  cos(): Tensor { return new Tensor(native.cos(this.handle)); }
  relu(): Tensor { return new Tensor(native.relu(this.handle)); }
  sigmoid(): Tensor { return new Tensor(native.sigmoid(this.handle)); }
  tanh(): Tensor { return new Tensor(native.tanh(this.handle)); }
  isfinite(): Tensor { return new Tensor(native.isfinite(this.handle)); }
  logicalNot(): Tensor { return new Tensor(native.logicalNot(this.handle)); }

  clamp(min: number | null, max: number | null = null): Tensor {
    return new Tensor(native.clamp(this.handle, min, max));
  }

  maskedFill(mask: Tensor, value: number): Tensor {
    return new Tensor(native.maskedFill(this.handle, mask.handle, value));
  }

  // --- reductions -------------------------------------------------------------------------

  /** Sums over `dims` (all dimensions when omitted). */
  sum(dims?: number | number[], keepdim = false): Tensor {
    return new Tensor(native.sum(this.handle, dimList(dims), keepdim));
  }

  mean(dims?: number | number[], keepdim = false): Tensor {
    return new Tensor(native.mean(this.handle, dimList(dims), keepdim));
  }

  /** Variance over `dims`; unbiased (Bessel's correction) by default, as in PyTorch. */
  var(dims?: number | number[], { unbiased = true, keepdim = false } = {}): Tensor {
    return new Tensor(native.var(this.handle, dimList(dims), unbiased, keepdim));
  }

  std(dims?: number | number[], options: { unbiased?: boolean; keepdim?: boolean } = {}): Tensor {
    return this.var(dims, options).sqrt();
  }

  /** The largest element, as a 0-d tensor. */
  max(): Tensor {
    return new Tensor(native.max(this.handle, null, false));
  }

  /** The largest element along `dim`, with its index. */
  maxAlong(dim: number, keepdim = false): { values: Tensor; indices: Tensor } {
    const [values, indices] = native.max(this.handle, dim, keepdim);
    return { values: new Tensor(values), indices: new Tensor(indices) };
  }

  min(): Tensor {
    return new Tensor(native.min(this.handle, null, false));
  }

  argmax(dim?: number, keepdim = false): Tensor {
    return new Tensor(native.argmax(this.handle, dim ?? null, keepdim));
  }

  /** The p-norm of all elements (2 by default). */
  norm(p = 2): Tensor {
    return new Tensor(native.norm(this.handle, p));
  }

  matmul(other: Tensor): Tensor {
    return new Tensor(native.matmul(this.handle, other.handle));
  }

  // --- shape ------------------------------------------------------------------------------

  reshape(...shape: number[]): Tensor { return new Tensor(native.reshape(this.handle, shape)); }
  view(...shape: number[]): Tensor { return new Tensor(native.view(this.handle, shape)); }
  permute(...dims: number[]): Tensor { return new Tensor(native.permute(this.handle, dims)); }
  transpose(dim0: number, dim1: number): Tensor { return new Tensor(native.transpose(this.handle, dim0, dim1)); }
  flatten(startDim = 0, endDim = -1): Tensor { return new Tensor(native.flatten(this.handle, startDim, endDim)); }
  unsqueeze(dim: number): Tensor { return new Tensor(native.unsqueeze(this.handle, dim)); }
  squeeze(dim?: number): Tensor { return new Tensor(native.squeeze(this.handle, dim ?? null)); }
  expand(...shape: number[]): Tensor { return new Tensor(native.expand(this.handle, shape)); }
  repeat(...repeats: number[]): Tensor { return new Tensor(native.repeat(this.handle, repeats)); }
  narrow(dim: number, start: number, length: number): Tensor { return new Tensor(native.narrow(this.handle, dim, start, length)); }
  select(dim: number, index: number): Tensor { return new Tensor(native.select(this.handle, dim, index)); }
  indexSelect(dim: number, index: Tensor): Tensor { return new Tensor(native.indexSelect(this.handle, dim, index.handle)); }
  gather(dim: number, index: Tensor): Tensor { return new Tensor(native.gather(this.handle, dim, index.handle)); }
  tril(diagonal = 0): Tensor { return new Tensor(native.tril(this.handle, diagonal)); }
  triu(diagonal = 0): Tensor { return new Tensor(native.triu(this.handle, diagonal)); }

  /** A copy laid out contiguously in `format` ("channels_last" is NHWC for 4-d tensors). */
  contiguous(format: MemoryFormat = "contiguous"): Tensor {
    return new Tensor(native.contiguous(this.handle, format));
  }

  isContiguous(format: MemoryFormat = "contiguous"): boolean {
    return native.isContiguous(this.handle, format);
  }

  clone(): Tensor { return new Tensor(native.clone(this.handle)); }
  detach(): Tensor { return new Tensor(native.detach(this.handle)); }

  /** Converts to another dtype and/or device ("cpu", "cuda", "cuda:1"). */
  to(dtype: DType | null, device: string | null = null): Tensor {
    return new Tensor(native.to(this.handle, dtype, device));
  }

  float(): Tensor { return this.to("float32"); }
  double(): Tensor { return this.to("float64"); }
  long(): Tensor { return this.to("int64"); }

  // --- in place, unrecorded by autograd -----------------------------------------------------

  fill_(value: number): this { native.fill_(this.handle, value); return this; }
  zero_(): this { return this.fill_(0); }
  normal_(mean = 0, std = 1): this { native.normal_(this.handle, mean, std); return this; }
  uniform_(low = 0, high = 1): this { native.uniform_(this.handle, low, high); return this; }
  copy_(source: Tensor): this { native.copy_(this.handle, source.handle); return this; }

  /** this += alpha * other. */
  addScaled_(other: Tensor, alpha: number): this { native.add_(this.handle, other.handle, alpha); return this; }

  /** Replaces the values and layout behind this tensor while keeping its identity. */
  setData_(source: Tensor): this { native.setData(this.handle, source.handle); return this; }

  // --- autograd ---------------------------------------------------------------------------

  get requiresGrad(): boolean {
    return native.requiresGrad(this.handle);
  }

  /** Marks a leaf tensor as needing gradients; returns this, as PyTorch's requires_grad_(). */
  requiresGrad_(requiresGrad = true): this {
    if (requiresGrad && !isFloating(this.dtype)) throw new TypeError(`requiresGrad_: only floating tensors can require gradients, got ${this.dtype}`);
    native.setRequiresGrad(this.handle, requiresGrad);
    return this;
  }

  /** The accumulated gradient, or null before any backward pass. */
  get grad(): Tensor | null {
    const handle = native.grad(this.handle);
    return handle === null ? null : new Tensor(handle);
  }

  clearGrad(): void {
    native.clearGrad(this.handle);
  }

  /** Backpropagates from this tensor; a non-scalar output needs `gradient`. */
  backward(gradient: Tensor | null = null, { retainGraph = false } = {}): void {
    native.backward(this.handle, gradient?.handle ?? null, retainGraph);
  }

  toString(): string {
    return `Tensor(shape=[${this.shape.join(", ")}], dtype=${this.dtype})`;
  }
}

registerTensorCheck((value: unknown): value is Tensor => value instanceof Tensor);

function dimList(dims: number | number[] | undefined): number[] | null {
  if (dims === undefined) return null;
  return typeof dims === "number" ? [dims] : dims;
}

type NestedNumbers = number | NestedNumbers[];

function inferShape(values: NestedNumbers): number[] {
  const shape: number[] = [];
  let level: NestedNumbers = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0] as NestedNumbers;
  }
  checkRectangular(values, shape, 0);
  return shape;
}

/** Throws unless every nested array at depth d has shape[d] entries and numbers sit only at the bottom. */
function checkRectangular(values: NestedNumbers, shape: number[], depth: number): void {
  if (depth === shape.length) {
    if (typeof values !== "number") throw new RangeError(`tensor: ragged nested arrays: expected a number at depth ${depth}`);
    return;
  }
  if (!Array.isArray(values) || values.length !== shape[depth]) {
    throw new RangeError(`tensor: ragged nested arrays: expected ${shape[depth]} entries at depth ${depth}, as in the first row`);
  }
  for (const item of values) checkRectangular(item, shape, depth + 1);
}

/**
 * Makes a tensor from nested arrays of numbers or from a TypedArray (with `shape`).
 * Nested arrays default to float32, TypedArrays to their own element type.
 */
export function tensor(values: NestedNumbers | ArrayBufferView, options: { shape?: Shape; dtype?: DType } = {}): Tensor {
  if (ArrayBuffer.isView(values)) {
    const dtype = options.dtype ?? dtypeOfTypedArray(values);
    const count = (values as unknown as { length: number }).length;
    const shape = options.shape ? [...options.shape] : [count];
    return new Tensor(native.fromTypedArray(values, shape, dtype));
  }
  const shape = options.shape ? [...options.shape] : inferShape(values);
  const flat: number[] = Array.isArray(values) ? (values as unknown[]).flat(Infinity as 1) as number[] : [values];
  const expected = shape.reduce((product, size) => product * size, 1);
  if (flat.length !== expected) {
    throw new RangeError(`tensor: nested arrays are ragged or do not match shape [${shape.join(", ")}]: ${flat.length} values for ${expected} elements`);
  }
  const dtype = options.dtype ?? "float32";
  return new Tensor(native.fromTypedArray(typedArrayFromNumbers(flat, dtype), shape, dtype));
}
