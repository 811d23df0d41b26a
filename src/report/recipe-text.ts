// The training recipe of the experiments' CIFAR-style nets, in prose, read from a result's config.
import type { Recipe } from "../experiments/profiles.js";
import { listInProse } from "./format.js";
import { html, type SafeHtml } from "./html.js";

function count(value: number): string {
  return value.toLocaleString("en-US");
}

/** "seed 0" or "seeds 0 and 1". */
export function seedsText(seeds: readonly number[]): string {
  return `${seeds.length === 1 ? "seed" : "seeds"} ${listInProse(seeds.map(String))}`;
}

/** "CIFAR-style nets ... trained on the first 2,048 training images for 2 epochs ...", from the recipe in a result's config. */
export function netRecipeText(recipe: Recipe, seeds: readonly number[]): SafeHtml {
  const shortcut = recipe.shortcut === "A" ? "identity shortcuts that zero-pad new channels (option A)" : "projection shortcuts where the shape changes (option B)";
  const schedule = recipe.schedule === "one-cycle" ? `a one-cycle schedule peaking at learning rate ${recipe.lr}` : `a step schedule from learning rate ${recipe.lr}`;
  return html`CIFAR-style nets of 6<em>n</em>+2 layers (He et al. 2015, §4.2)${recipe.preActivation ? ", pre-activation," : ""} with ${shortcut}, trained on the first ${count(recipe.trainLimit)} training images for ${recipe.epochs} ${recipe.epochs === 1 ? "epoch" : "epochs"} with SGD (momentum 0.9, weight decay ${recipe.weightDecay}, ${schedule}, batch size ${recipe.batchSize}) and tested on the first ${count(recipe.validLimit)} test images, ${seedsText(seeds)}`;
}
