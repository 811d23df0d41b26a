// getPreds: the model's class probabilities over a whole loader, as fastai's get_preds.
import type { DataLoader } from "../data/index.js";
import { F, noGrad, tensor, tidy, type Tensor } from "../torch/index.js";
import type { Learner } from "./learner.js";

/** The outcome of getPreds, one row per item in the loader's order. */
export interface Predictions {
  /** float32 [N, classes]: softmax of the model's outputs. */
  probabilities: Tensor;
  /** int64 [N]: the labels. */
  targets: Tensor;
  /**
   * float32 [N]: the cross-entropy of each item.
   * NOTE: this equals the Learner's loss only when its lossFunc is the default cross-entropy.
   */
  losses: Tensor;
  /** Position in the loader's dataset of each row (the loader's order for epoch 0). */
  datasetIndices: Int32Array;
}

/** Runs the model in eval mode without autograd over `loader` (default: the validation loader). */
export async function getPreds(learner: Learner, { loader = learner.dls.valid }: { loader?: DataLoader } = {}): Promise<Predictions> {
  if (learner.isFitting) throw new Error("getPreds: this Learner is fitting; call getPreds after fit returns");

  const classCount = learner.dls.classNames.length;
  const itemCount = loader.dropLast ? loader.length * loader.batchSize : loader.dataset.length;
  const probabilities = new Float32Array(itemCount * classCount);
  const targets = new BigInt64Array(itemCount);
  const losses = new Float32Array(itemCount);

  const wasTraining = learner.model.training;
  learner.model.eval();
  try {
    let offset = 0;
    // batches(0) leaves the loader's epoch counter alone; a shuffling loader gives epoch 0's order.
    for (const batch of loader.batches(0)) {
      try {
        const batchSize = batch.y.shape[0];
        const values = tidy(() =>
          noGrad(() => {
            const input = learner.device === "cpu" ? batch.x : batch.x.to(null, learner.device);
            const target = learner.device === "cpu" ? batch.y : batch.y.to(null, learner.device);
            const logits = learner.model.forward(input); // [B, classes]
            const batchProbabilities = F.softmax(logits, 1).to(null, "cpu"); // [B, classes]
            const batchLosses = F.crossEntropy(logits, target, { reduction: "none" }).to(null, "cpu"); // [B]
            return { probabilities: batchProbabilities.data() as Float32Array, losses: batchLosses.data() as Float32Array };
          }),
        );
        probabilities.set(values.probabilities, offset * classCount);
        losses.set(values.losses, offset);
        targets.set(batch.y.data() as BigInt64Array, offset);
        offset += batchSize;
      } finally {
        batch.x.dispose();
        batch.y.dispose();
      }
      // Let the event loop run finalizers between batches, as the training loop does.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    learner.model.train(wasTraining);
  }

  return {
    probabilities: tensor(probabilities, { shape: [itemCount, classCount] }),
    targets: tensor(targets, { shape: [itemCount] }),
    losses: tensor(losses, { shape: [itemCount] }),
    datasetIndices: loader.indicesForEpoch(0).slice(0, itemCount),
  };
}
