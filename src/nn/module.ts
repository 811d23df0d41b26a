// Module: the base of every layer and model, as torch.nn.Module. Parameters, buffers and
// submodules are registered by name so that names match PyTorch's state dicts
// ("layer1.0.conv1.weight", "0.running_mean").
import { keep, noGrad, type MemoryFormat, type Tensor } from "../torch/index.js";

export type StateDict = Map<string, Tensor>;

export abstract class Module {
  /** Train mode (true) or eval mode (false); see train() and eval(). */
  training = true;

  private readonly ownParameters = new Map<string, Tensor>();
  private readonly ownBuffers = new Map<string, Tensor>();
  private readonly ownChildren = new Map<string, Module>();

  abstract forward(input: Tensor): Tensor;

  /** Registers a trainable tensor; it leaves every tidy scope and starts requiring gradients. */
  protected registerParameter(name: string, parameter: Tensor): Tensor {
    this.ownParameters.set(name, keep(parameter).requiresGrad_(true));
    return parameter;
  }

  /** Registers a state tensor that is saved but not trained (BatchNorm's running statistics). */
  protected registerBuffer(name: string, buffer: Tensor): Tensor {
    this.ownBuffers.set(name, keep(buffer));
    return buffer;
  }

  protected registerModule<M extends Module>(name: string, module: M): M {
    this.ownChildren.set(name, module);
    return module;
  }

  /** Replaces a registered submodule (fastai swaps the first conv this way for nIn != 3). */
  replaceModule(name: string, module: Module): void {
    if (!this.ownChildren.has(name)) throw new RangeError(`replaceModule: no submodule named '${name}'`);
    this.ownChildren.set(name, module);
  }

  children(): [string, Module][] {
    return [...this.ownChildren];
  }

  /** Every module in the tree, depth first, this one first with the name "". */
  namedModules(prefix = ""): [string, Module][] {
    const result: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.ownChildren) result.push(...child.namedModules(joinName(prefix, name)));
    return result;
  }

  namedParameters(prefix = ""): [string, Tensor][] {
    const result: [string, Tensor][] = [];
    for (const [name, parameter] of this.ownParameters) result.push([joinName(prefix, name), parameter]);
    for (const [name, child] of this.ownChildren) result.push(...child.namedParameters(joinName(prefix, name)));
    return result;
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, parameter]) => parameter);
  }

  namedBuffers(prefix = ""): [string, Tensor][] {
    const result: [string, Tensor][] = [];
    for (const [name, buffer] of this.ownBuffers) result.push([joinName(prefix, name), buffer]);
    for (const [name, child] of this.ownChildren) result.push(...child.namedBuffers(joinName(prefix, name)));
    return result;
  }

  /** The number of trainable scalars. */
  numParameters(): number {
    return this.parameters().reduce((total, parameter) => total + parameter.numel, 0);
  }

  train(mode = true): this {
    for (const [, module] of this.namedModules()) module.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Parameters and buffers by name; the tensors are the module's own, not copies. */
  stateDict(): StateDict {
    return new Map([...this.namedParameters(), ...this.namedBuffers()]);
  }

  /**
   * Copies values from a state dict. With strict (default), a missing or unexpected name, or a
   * shape that differs, throws before anything is copied.
   */
  loadStateDict(state: StateDict, { strict = true } = {}): void {
    const own = this.stateDict();
    const problems: string[] = [];
    for (const [name, tensor] of own) {
      const source = state.get(name);
      if (!source) {
        if (strict) problems.push(`missing '${name}'`);
        continue;
      }
      if (source.shape.join(",") !== tensor.shape.join(",")) {
        problems.push(`'${name}' has shape [${source.shape.join(", ")}], expected [${tensor.shape.join(", ")}]`);
      }
    }
    if (strict) for (const name of state.keys()) if (!own.has(name)) problems.push(`unexpected '${name}'`);
    if (problems.length > 0) throw new Error(`loadStateDict: ${problems.join("; ")}`);

    noGrad(() => {
      for (const [name, tensor] of own) {
        const source = state.get(name);
        if (source) tensor.copy_(source);
      }
    });
  }

  /** Lays every 4-d parameter and buffer out in `format`, keeping their identity (and optimizer state). */
  toMemoryFormat(format: MemoryFormat): this {
    noGrad(() => {
      for (const [, tensor] of [...this.namedParameters(), ...this.namedBuffers()]) {
        if (tensor.ndim === 4) tensor.setData_(tensor.contiguous(format));
      }
    });
    return this;
  }

  /** Moves every parameter and buffer to a device ("cpu", "cuda"), keeping their identity. */
  toDevice(device: string): this {
    noGrad(() => {
      for (const [, tensor] of [...this.namedParameters(), ...this.namedBuffers()]) tensor.setData_(tensor.to(null, device));
    });
    return this;
  }

  /** A one-line description, as PyTorch's repr of a leaf layer. */
  describe(): string {
    return this.constructor.name;
  }
}

function joinName(prefix: string, name: string): string {
  return prefix === "" ? name : `${prefix}.${name}`;
}
