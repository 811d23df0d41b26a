// Learner checkpoints: model weights and buffers, optimizer state and the finished epochs'
// table rows in one safetensors file, so a killed run resumes from its last finished epoch.
import { existsSync } from "node:fs";
import { loadSafetensors, saveSafetensors, type OptimizerState, type Tensor } from "../torch/index.js";
import { Callback } from "./callback.js";
import type { Learner } from "./learner.js";
import type { EpochRow } from "./recorder.js";

const formatName = "residual-lab-checkpoint-1";

export interface CheckpointContents {
  /** Epochs finished when the checkpoint was written. */
  epochsDone: number;
  rows: EpochRow[];
  /** Free-form settings the writer stored (the CLI stores its flags) to check on resume. */
  settings: Record<string, unknown>;
}

/** Options of saveCheckpoint. */
export interface SaveCheckpointOptions {
  /** Epochs finished, stored for a resumed run. */
  epochsDone: number;
  /** Free-form settings stored with the checkpoint. Default {}. */
  settings?: Record<string, unknown>;
  /** Store the optimizer state too. Default true. */
  withOptimizer?: boolean;
}

/** Options of loadCheckpoint. */
export interface LoadCheckpointOptions {
  /** Restore the optimizer state when the checkpoint contains one. Default true. */
  withOptimizer?: boolean;
  /** Replace the Recorder's rows with the checkpoint's. Default true. */
  withRows?: boolean;
}

/** Writes the learner's model, optimizer state and rows to `file` (atomically). */
export function saveCheckpoint(learner: Learner, file: string, { epochsDone, settings = {}, withOptimizer = true }: SaveCheckpointOptions): void {
  const tensors = new Map<string, Tensor>();
  for (const [name, value] of learner.model.stateDict()) tensors.set(`model.${name}`, value);

  const optimizerState = withOptimizer ? learner.optimizer?.stateDict() : undefined;
  const steps: (number | null)[] = [];
  optimizerState?.entries.forEach((entry, index) => {
    steps.push(entry?.step ?? null);
    if (!entry) return;
    for (const [name, buffer] of Object.entries(entry.buffers)) tensors.set(`optimizer.${index}.${name}`, buffer);
  });

  saveSafetensors(file, tensors, {
    format: formatName,
    epochsDone: String(epochsDone),
    rows: JSON.stringify(learner.recorder.rows),
    settings: JSON.stringify(settings),
    optimizer: JSON.stringify(optimizerState ? { kind: optimizerState.kind, steps, present: optimizerState.entries.map((entry) => entry !== null) } : null),
  });
}

/** Restores a checkpoint into the learner (creating its optimizer if needed) and returns what it held. */
export function loadCheckpoint(learner: Learner, file: string, { withOptimizer = true, withRows = true }: LoadCheckpointOptions = {}): CheckpointContents {
  if (!existsSync(file)) throw new Error(`${file}: checkpoint not found`);
  const { tensors, metadata } = loadSafetensors(file);
  if (metadata.format !== formatName) throw new Error(`${file}: not a residual-lab checkpoint (format '${metadata.format ?? "none"}', expected '${formatName}')`);

  const modelState = new Map<string, Tensor>();
  for (const [name, value] of tensors) if (name.startsWith("model.")) modelState.set(name.slice("model.".length), value);
  learner.model.loadStateDict(modelState);

  const optimizerInfo = JSON.parse(metadata.optimizer ?? "null") as { kind: OptimizerState["kind"]; steps: (number | null)[]; present: boolean[] } | null;
  if (optimizerInfo && withOptimizer) {
    const optimizer = learner.optimizer ?? learner.createOptimizer();
    const entries: OptimizerState["entries"] = optimizerInfo.present.map((present, index) => {
      if (!present) return null;
      const buffers: Record<string, Tensor> = {};
      const prefix = `optimizer.${index}.`;
      for (const [name, value] of tensors) if (name.startsWith(prefix)) buffers[name.slice(prefix.length)] = value;
      return { step: optimizerInfo.steps[index], buffers };
    });
    optimizer.loadStateDict({ kind: optimizerInfo.kind, entries });
  }

  const rows = JSON.parse(metadata.rows ?? "[]") as EpochRow[];
  if (withRows) learner.recorder.rows.splice(0, learner.recorder.rows.length, ...rows);
  return { epochsDone: Number(metadata.epochsDone), rows, settings: JSON.parse(metadata.settings ?? "{}") as Record<string, unknown> };
}

/**
 * Saves a checkpoint after every finished epoch. It runs after the Recorder (order 50) has added
 * the epoch's row and before the trackers (61 and up), so an early stop still saves its epoch.
 */
export class CheckpointCallback extends Callback {
  override order = 55;
  override runInLrFind = false;

  constructor(
    readonly file: string,
    readonly settings: Record<string, unknown> = {},
  ) {
    super();
  }

  override afterEpoch(learner: Learner): void {
    saveCheckpoint(learner, this.file, { epochsDone: learner.epoch + 1, settings: this.settings });
  }
}
