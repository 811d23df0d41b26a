// ClassificationInterpretation: where a classifier goes wrong on a loader, as fastai's: the
// confusion matrix, the most confused pairs and the items with the highest loss.
import type { DataLoader, ImageClassificationDataset } from "../data/index.js";
import { tidy } from "../torch/index.js";
import { confusionMatrixSvg, topLossesSvg } from "./interpretation-figures.js";
import type { Learner } from "./learner.js";
import { getPreds } from "./predictions.js";

/** A pair of classes the model mixes up, with how often. */
export interface ConfusedPair {
  actual: string;
  predicted: string;
  count: number;
}

/** One item among the highest (or lowest) losses. */
export interface LossItem {
  /** Position of the item in the loader's dataset. */
  datasetIndex: number;
  loss: number;
  actual: string;
  predicted: string;
  /** Probability the model gave to its predicted class. */
  probability: number;
}

export class ClassificationInterpretation {
  /** Index of the most probable class for every item. */
  readonly predicted: Int32Array;

  constructor(
    readonly classNames: readonly string[],
    /** Softmax probabilities, [N x classes] in row-major order. */
    readonly probabilities: Float32Array,
    /** Label of every item. */
    readonly targets: Int32Array,
    /** Cross-entropy of every item. */
    readonly losses: Float32Array,
    /** Position in `dataset` of every item. */
    readonly datasetIndices: Int32Array,
    /** The images, for the top-losses figure. */
    readonly dataset: ImageClassificationDataset,
  ) {
    const classCount = classNames.length;
    const count = targets.length;
    if (probabilities.length !== count * classCount || losses.length !== count || datasetIndices.length !== count) {
      throw new RangeError(
        `ClassificationInterpretation: expected ${count} items with ${classCount} probabilities each, got ${probabilities.length} probabilities, ${losses.length} losses and ${datasetIndices.length} indices`,
      );
    }

    this.predicted = new Int32Array(count);
    for (let item = 0; item < count; item++) {
      let best = 0;
      for (let c = 1; c < classCount; c++) if (probabilities[item * classCount + c] > probabilities[item * classCount + best]) best = c;
      this.predicted[item] = best;
    }
  }

  /** Runs the learner over `loader` (default: its validation loader) and interprets the predictions. */
  static async fromLearner(learner: Learner, { loader = learner.dls.valid }: { loader?: DataLoader } = {}): Promise<ClassificationInterpretation> {
    const predictions = await getPreds(learner, { loader });
    try {
      const targets = Int32Array.from(predictions.targets.toNumbers());
      return new ClassificationInterpretation(
        learner.dls.classNames,
        predictions.probabilities.data() as Float32Array,
        targets,
        predictions.losses.data() as Float32Array,
        predictions.datasetIndices,
        loader.dataset,
      );
    } finally {
      predictions.probabilities.dispose();
      predictions.targets.dispose();
      predictions.losses.dispose();
    }
  }

  /** Counts of every (actual, predicted) pair: row = actual class, column = predicted class. */
  confusionMatrix(): number[][] {
    const classCount = this.classNames.length;
    const matrix = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
    this.targets.forEach((actual, item) => {
      matrix[actual][this.predicted[item]] += 1;
    });
    return matrix;
  }

  /** Lists the off-diagonal cells with at least `minVal` items, most frequent first (ties in row-major order). */
  mostConfused(minVal = 1): ConfusedPair[] {
    const pairs: ConfusedPair[] = [];
    this.confusionMatrix().forEach((row, actual) => {
      row.forEach((count, predicted) => {
        if (actual !== predicted && count >= minVal) pairs.push({ actual: this.classNames[actual], predicted: this.classNames[predicted], count });
      });
    });
    // Array.prototype.sort is stable, so equal counts keep row-major order.
    return pairs.sort((first, second) => second.count - first.count);
  }

  /** Returns the `k` items with the highest loss (or the lowest, with largest false). Default k: all items. */
  topLosses(k = this.losses.length, { largest = true }: { largest?: boolean } = {}): LossItem[] {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`topLosses: k must be a non-negative integer, got ${k}`);

    const order = Array.from(this.losses.keys());
    order.sort((first, second) => (largest ? this.losses[second] - this.losses[first] : this.losses[first] - this.losses[second]));
    const classCount = this.classNames.length;
    return order.slice(0, k).map((item) => {
      const predicted = this.predicted[item];
      return {
        datasetIndex: this.datasetIndices[item],
        loss: this.losses[item],
        actual: this.classNames[this.targets[item]],
        predicted: this.classNames[predicted],
        probability: this.probabilities[item * classCount + predicted],
      };
    });
  }

  /** Draws the confusion matrix as an SVG document, as fastai's plot_confusion_matrix. */
  confusionMatrixSvg(): string {
    return confusionMatrixSvg(this.confusionMatrix(), this.classNames);
  }

  /** Draws the `k` highest-loss images with prediction, label, loss and probability, as fastai's plot_top_losses. */
  topLossesSvg(k = 9): string {
    const items = this.topLosses(k);
    const [height, width] = this.dataset.imageSize;
    const images = items.map((item) => tidy(() => this.dataset.images.select(0, item.datasetIndex).data() as Uint8Array)); // [H, W] uint8 each
    return topLossesSvg(items, images, { height, width });
  }
}
