"""Measure PyTorch eager training-step throughput of ResNet-18 on [B, 1, 28, 28] inputs.

bench/train-throughput.ts compares residual-lab against this peer. residual-lab's side is
bench/residual-lab-step.ts, which takes the same flags and prints the same fields.
One step is forward, cross-entropy, backward, AdamW step, zero_grad(set_to_none=True) and
loss.item(). Every step trains on the same random batch, so no data loading is timed.
Prints one JSON line on stdout.
"""

import argparse
import json
import resource
import time

import torch
import torch.nn.functional as F
import torchvision


def positive_integer(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text}")
    return value


def non_negative_integer(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text}")
    return value


def parse_flags() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=positive_integer, required=True, help="images per step")
    parser.add_argument("--threads", type=positive_integer, required=True, help="torch.set_num_threads value")
    parser.add_argument("--steps", type=positive_integer, required=True, help="timed steps")
    parser.add_argument("--warmup", type=non_negative_integer, required=True, help="untimed steps before the timed ones")
    parser.add_argument("--seed", type=non_negative_integer, default=0, help="torch.manual_seed value (default 0)")
    parser.add_argument("--channels-last", action="store_true", help="model and batch in torch.channels_last")
    return parser.parse_args()


def build_model() -> torch.nn.Module:
    """torchvision's ResNet-18 with a 1-channel stem, as residual-lab's resnet18({nIn: 1})."""
    model = torchvision.models.resnet18(num_classes=10)
    model.conv1 = torch.nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
    return model.train()


def main() -> None:
    flags = parse_flags()
    torch.set_num_threads(flags.threads)
    torch.manual_seed(flags.seed)

    model = build_model()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.99), eps=1e-5, weight_decay=0.01)
    memory_format = torch.channels_last if flags.channels_last else torch.contiguous_format
    model = model.to(memory_format=memory_format)
    images = torch.rand(flags.batch_size, 1, 28, 28).contiguous(memory_format=memory_format)  # [B, 1, 28, 28]
    labels = torch.randint(0, 10, (flags.batch_size,))  # [B]

    def train_step() -> float:
        logits = model(images)  # [B, 10]
        loss = F.cross_entropy(logits, labels)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        return loss.item()

    for _ in range(flags.warmup):
        train_step()

    start = time.perf_counter()
    for _ in range(flags.steps):
        loss = train_step()
    seconds = time.perf_counter() - start

    # On Linux ru_maxrss is in KiB.
    peak_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {
        "engine": "pytorch",
        "memoryFormat": "channels_last" if flags.channels_last else "contiguous",
        "batchSize": flags.batch_size,
        "threads": torch.get_num_threads(),
        "steps": flags.steps,
        "warmupSteps": flags.warmup,
        "seconds": seconds,
        "imagesPerSecond": flags.steps * flags.batch_size / seconds,
        "peakRssMiB": peak_rss_kib / 1024,
        "finalLoss": loss,
        "torchVersion": torch.__version__,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
