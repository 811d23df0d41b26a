// Sequential: applies its modules in order; they are named "0", "1", ... as in PyTorch.
import type { Tensor } from "../torch/index.js";
import { Module } from "./module.js";

export class Sequential extends Module {
  private readonly layers: Module[] = [];

  constructor(...modules: Module[]) {
    super();
    for (const module of modules) this.append(module);
  }

  append(module: Module): this {
    this.registerModule(String(this.layers.length), module);
    this.layers.push(module);
    return this;
  }

  get length(): number {
    return this.layers.length;
  }

  at(index: number): Module {
    const module = this.layers.at(index);
    if (!module) throw new RangeError(`Sequential: index ${index} is out of range for ${this.layers.length} modules`);
    return module;
  }

  /** The modules in order. */
  modules(): readonly Module[] {
    return this.layers;
  }

  override replaceModule(name: string, module: Module): void {
    super.replaceModule(name, module);
    this.layers[Number(name)] = module;
  }

  forward(input: Tensor): Tensor {
    let output = input;
    for (const layer of this.layers) output = layer.forward(output);
    return output;
  }
}
