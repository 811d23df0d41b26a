// `residual-lab predict`: classifies images with a model written by `residual-lab train --export`.
import { existsSync } from "node:fs";
import { loadLearner, type ImageInput } from "../learner/index.js";
import { defaultThreadCount, setNumThreads } from "../torch/index.js";
import { parseFlags, UsageError } from "./usage-error.js";

export const predictHelp = `Usage: residual-lab predict --model FILE [--json] IMAGE...

Classifies each IMAGE with an exported model and prints the image, the predicted class and its
probability, one line per image.

IMAGE is a PNG file of the training image size (28x28 for MNIST; colour is turned into grey
levels, a white digit on black as in MNIST) or one image of an IDX images file written as
FILE:INDEX, counting from 0 (for example t10k-images-idx3-ubyte.gz:7).

Options:
  --model FILE          exported model, written by 'residual-lab train --export FILE'
  --json                one JSON object per image on stdout (image, class, index,
                        probability, probabilities)`;

/** Reads an IMAGE argument: FILE:INDEX names an IDX record unless a file has that exact name. */
export function parseImageArgument(argument: string): ImageInput {
  if (existsSync(argument)) return argument;
  const record = /^(.+):(\d+)$/.exec(argument);
  if (record) return { idxFile: record[1], index: Number(record[2]) };

  // A file before the last colon means the rest was meant as a record index.
  const colon = argument.lastIndexOf(":");
  if (colon > 0 && existsSync(argument.slice(0, colon))) {
    throw new UsageError(`predict: ${argument}: INDEX must be a record number counting from 0, got '${argument.slice(colon + 1)}'`);
  }
  return argument;
}

export interface PredictSettings {
  model: string;
  images: string[];
  json: boolean;
}

export function parsePredictFlags(args: string[]): PredictSettings {
  const { values, positionals } = parseFlags(args, { model: { type: "string" }, json: { type: "boolean" } }, "predict");
  if (values.model === undefined) throw new UsageError("predict: missing --model FILE, the model written by 'residual-lab train --export FILE'");
  if (positionals.length === 0) throw new UsageError("predict: missing IMAGE: give one or more PNG files or IDX records (FILE:INDEX)");
  return { model: values.model, images: positionals, json: values.json ?? false };
}

export function predictCommand(args: string[]): void {
  const settings = parsePredictFlags(args);
  setNumThreads(defaultThreadCount());
  const learner = loadLearner(settings.model);

  for (const image of settings.images) {
    const prediction = learner.predict(parseImageArgument(image));
    const probability = prediction.probabilities[prediction.index];
    if (settings.json) {
      const line = { image, class: prediction.className, index: prediction.index, probability, probabilities: prediction.probabilities };
      process.stdout.write(JSON.stringify(line) + "\n");
    } else {
      process.stdout.write(`${image}\t${prediction.className}\t${probability.toFixed(4)}\n`);
    }
  }
}
