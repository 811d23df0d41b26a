// Measures residual-lab's training-step throughput of ResNet-18 on [B, 1, 28, 28] inputs: the
// same measurement as bench/pytorch_peer.py, with the same flags and the same JSON fields.
// One step is forward, cross-entropy, backward, AdamW step, zeroGrad and loss.item(), inside
// tidy() as a training loop runs it. Every step trains on the same random batch, so no data
// loading is timed. Prints one JSON line on stdout.
import { parseFlags, positiveInteger, nonNegativeInteger, UsageError } from "../src/cli/usage-error.js";
import { resnet18 } from "../src/models/index.js";
import { backends, F, Optimizer, manualSeed, rand, randint, runtimeInfo, setNumThreads, getNumThreads, tidy, type MemoryFormat } from "../src/torch/index.js";

export interface StepMeasurement {
  engine: "pytorch" | "residual-lab";
  memoryFormat: MemoryFormat;
  /** residual-lab only: whether the optimizer ran the fused loops (false: libtorch's own step). */
  fusedOptimizer?: boolean;
  /** residual-lab only: whether convolutions with one output position ran over their window. */
  convWindows?: boolean;
  batchSize: number;
  threads: number;
  steps: number;
  warmupSteps: number;
  seconds: number;
  imagesPerSecond: number;
  peakRssMiB: number;
  /** Loss of the last timed step. A non-finite value means training diverged during the measurement. */
  finalLoss: number;
  /** The torch version of the engine: torch.__version__ for PyTorch, libtorch's for residual-lab. */
  torchVersion: string;
}

const usage = "Usage: residual-lab-step.js --batch-size N --threads N --steps N --warmup N [--seed N] [--channels-last] [--libtorch-optimizer] [--padded-convs]";

function requiredPositive(value: string | undefined, flag: string): number {
  const number = positiveInteger(value, flag);
  if (number === undefined) throw new UsageError(`${flag} is missing. ${usage}`);
  return number;
}

async function measure(args: string[]): Promise<StepMeasurement> {
  const { values } = parseFlags(
    args,
    {
      "batch-size": { type: "string" },
      threads: { type: "string" },
      steps: { type: "string" },
      warmup: { type: "string" },
      seed: { type: "string" },
      "channels-last": { type: "boolean" },
      "libtorch-optimizer": { type: "boolean" },
      "padded-convs": { type: "boolean" },
    },
    "residual-lab-step",
  );
  const batchSize = requiredPositive(values["batch-size"], "--batch-size");
  const threads = requiredPositive(values.threads, "--threads");
  const steps = requiredPositive(values.steps, "--steps");
  const warmupSteps = nonNegativeInteger(values.warmup, "--warmup");
  if (warmupSteps === undefined) throw new UsageError(`--warmup is missing. ${usage}`);
  const seed = nonNegativeInteger(values.seed, "--seed") ?? 0;
  const memoryFormat: MemoryFormat = values["channels-last"] ? "channels_last" : "contiguous";
  const fusedOptimizer = !values["libtorch-optimizer"];
  backends.singleOutputConvWindows = !values["padded-convs"];

  setNumThreads(threads);
  manualSeed(seed);

  const model = resnet18({ nIn: 1, numClasses: 10 }).train();
  if (memoryFormat === "channels_last") model.toMemoryFormat(memoryFormat);
  // One group with weight decay on every parameter, as torch.optim.AdamW(model.parameters()).
  const optimizer = new Optimizer("adamw", [{ params: model.parameters(), weightDecay: 0.01 }], {
    lr: 1e-3,
    momentum: 0.9,
    beta2: 0.99,
    eps: 1e-5,
    fused: fusedOptimizer,
  });
  const images = rand([batchSize, 1, 28, 28]).contiguous(memoryFormat); // [B, 1, 28, 28]
  const labels = randint(0, 10, [batchSize]); // [B]

  const trainStep = (): number =>
    tidy(() => {
      const logits = model.forward(images); // [B, 10]
      const loss = F.crossEntropy(logits, labels);
      loss.backward();
      optimizer.step();
      optimizer.zeroGrad();
      return loss.item();
    });

  // Each step yields to the event loop, as the Learner does after every batch: Node 20 runs the
  // finalizers of released tensor handles only there, and without them the heap fragments.
  const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));
  for (let step = 0; step < warmupSteps; step++) {
    trainStep();
    await yieldToEventLoop();
  }

  let loss = Number.NaN;
  const start = process.hrtime.bigint();
  for (let step = 0; step < steps; step++) {
    loss = trainStep();
    await yieldToEventLoop();
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;

  return {
    engine: "residual-lab",
    memoryFormat,
    fusedOptimizer: optimizer.lastStepWasFused,
    convWindows: backends.singleOutputConvWindows,
    batchSize,
    threads: getNumThreads(),
    steps,
    warmupSteps,
    seconds,
    imagesPerSecond: (steps * batchSize) / seconds,
    // maxRSS is in KiB.
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    finalLoss: loss,
    torchVersion: runtimeInfo().libtorchVersion,
  };
}

try {
  process.stdout.write(JSON.stringify(await measure(process.argv.slice(2))) + "\n");
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
