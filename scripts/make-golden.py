"""Write test/fixtures/ops-golden.json: PyTorch's outputs and gradients for the ops and
optimizers that the TypeScript tests in test/torch compare against.

Run from the project root with Debian's interpreter, which has PyTorch:

    /usr/bin/python3 scripts/make-golden.py

Every input comes from one seeded generator, and the script pins PyTorch to one thread, so
running it again writes the same file. Each op case stores its inputs, the outputs, a fixed
random weight tensor for each differentiable output, and the gradients of
sum(output * weight) over those outputs with respect to each differentiable input.
Tensors are stored as {"shape", "dtype", "values"} with the values flattened in row-major
order. Python writes each float64 in its shortest round-trip form, so the JSON contains
the exact values.
"""

import json
import platform
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

SEED = 20240601
OPTIMIZER_STEPS = 5
COMMAND = "/usr/bin/python3 scripts/make-golden.py"
OUTPUT_PATH = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "ops-golden.json"

DTYPE_NAMES = {
    torch.float32: "float32",
    torch.float64: "float64",
    torch.int64: "int64",
    torch.bool: "bool",
}


def encode(tensor):
    """Return a tensor as the fixture's {"shape", "dtype", "values"} object."""
    tensor = tensor.detach().contiguous()
    dtype = DTYPE_NAMES[tensor.dtype]
    if tensor.dtype == torch.bool:
        values = [int(value) for value in tensor.flatten().tolist()]
    else:
        values = tensor.flatten().tolist()
    return {"shape": list(tensor.shape), "dtype": dtype, "values": values}


class Inputs:
    """Seeded source of every input, which makes the fixture reproducible."""

    def __init__(self, seed):
        self.generator = torch.Generator().manual_seed(seed)

    def normal(self, *shape, dtype=torch.float64):
        return torch.randn(shape, generator=self.generator, dtype=torch.float64).to(dtype)

    def positive(self, *shape):
        """Uniform samples from [0.5, 1.5): safe as variances and divisors."""
        return torch.rand(shape, generator=self.generator, dtype=torch.float64) + 0.5

    def away_from_zero(self, *shape):
        """Values in (-1.5, -0.5] or [0.5, 1.5) with random signs, for divisors."""
        signs = torch.randint(0, 2, shape, generator=self.generator).to(torch.float64) * 2 - 1
        return signs * self.positive(*shape)

    def integers(self, low, high, *shape, dtype=torch.int64):
        return torch.randint(low, high, shape, generator=self.generator).to(dtype)


def record_op(cases, inputs, name, op, values, forward, differentiable=(), options=None):
    """Run one op case in PyTorch and append its inputs, outputs and gradients to cases.

    forward takes the inputs as keyword arguments and returns a dict of named outputs.
    Each output that requires gradients gets a random weight tensor of its shape. The stored
    gradients are those of the sum of (output * weight) over these outputs.
    """
    leaves = {}
    for key, value in values.items():
        leaf = value.clone()
        if key in differentiable:
            leaf.requires_grad_(True)
        leaves[key] = leaf

    outputs = forward(**leaves)

    weights = {}
    for key, output in outputs.items():
        if output.requires_grad:
            weights[key] = inputs.normal(*output.shape, dtype=output.dtype)

    gradients = {}
    if differentiable:
        total = sum((outputs[key] * weight).sum() for key, weight in weights.items())
        grads = torch.autograd.grad(total, [leaves[key] for key in differentiable])
        gradients = {key: encode(grad) for key, grad in zip(differentiable, grads)}

    cases.append(
        {
            "name": name,
            "op": op,
            "options": options or {},
            "inputs": {key: encode(value) for key, value in values.items()},
            "outputs": {key: encode(output) for key, output in outputs.items()},
            "outputWeights": {key: encode(weight) for key, weight in weights.items()},
            "gradients": gradients,
        }
    )


def record_convolution_and_normalization(cases, inputs):
    conv_options = {"stride": 2, "padding": 1}

    def conv2d(input, weight, bias=None):
        return {"output": F.conv2d(input, weight, bias, stride=2, padding=1)}

    record_op(
        cases, inputs, "conv2d with bias", "conv2d",
        {"input": inputs.normal(2, 3, 7, 7), "weight": inputs.normal(4, 3, 3, 3), "bias": inputs.normal(4)},
        conv2d, ("input", "weight", "bias"), conv_options,
    )
    record_op(
        cases, inputs, "conv2d without bias", "conv2d",
        {"input": inputs.normal(2, 3, 7, 7), "weight": inputs.normal(4, 3, 3, 3)},
        conv2d, ("input", "weight"), conv_options,
    )
    record_op(
        cases, inputs, "conv2d float32", "conv2d",
        {
            "input": inputs.normal(2, 3, 7, 7, dtype=torch.float32),
            "weight": inputs.normal(4, 3, 3, 3, dtype=torch.float32),
            "bias": inputs.normal(4, dtype=torch.float32),
        },
        conv2d, ("input", "weight", "bias"), conv_options,
    )

    for training in (True, False):
        options = {"training": training, "momentum": 0.1, "eps": 1e-5}

        def batch_norm(input, weight, bias, runningMean, runningVar):
            output = F.batch_norm(input, runningMean, runningVar, weight, bias, training=training, momentum=0.1, eps=1e-5)
            # The running statistics are updated in place in training mode and left alone in eval mode.
            return {"output": output, "runningMean": runningMean.clone(), "runningVar": runningVar.clone()}

        record_op(
            cases, inputs, "batch_norm training" if training else "batch_norm eval", "batch_norm",
            {
                "input": inputs.normal(4, 3, 3, 3),
                "weight": inputs.normal(3),
                "bias": inputs.normal(3),
                "runningMean": inputs.normal(3),
                "runningVar": inputs.positive(3),
            },
            batch_norm, ("input", "weight", "bias"), options,
        )

    record_op(
        cases, inputs, "layer_norm last dim", "layer_norm",
        {"input": inputs.normal(2, 3, 4), "weight": inputs.normal(4), "bias": inputs.normal(4)},
        lambda input, weight, bias: {"output": F.layer_norm(input, [4], weight, bias, eps=1e-5)},
        ("input", "weight", "bias"), {"normalizedShape": [4], "eps": 1e-5},
    )
    record_op(
        cases, inputs, "layer_norm last two dims", "layer_norm",
        {"input": inputs.normal(2, 3, 4), "weight": inputs.normal(3, 4), "bias": inputs.normal(3, 4)},
        lambda input, weight, bias: {"output": F.layer_norm(input, [3, 4], weight, bias, eps=1e-5)},
        ("input", "weight", "bias"), {"normalizedShape": [3, 4], "eps": 1e-5},
    )


def record_dense_and_activations(cases, inputs):
    record_op(
        cases, inputs, "linear", "linear",
        {"input": inputs.normal(2, 3, 5), "weight": inputs.normal(4, 5), "bias": inputs.normal(4)},
        lambda input, weight, bias: {"output": F.linear(input, weight, bias)},
        ("input", "weight", "bias"),
    )
    record_op(
        cases, inputs, "matmul", "matmul",
        {"a": inputs.normal(3, 4), "b": inputs.normal(4, 5)},
        lambda a, b: {"output": torch.matmul(a, b)},
        ("a", "b"),
    )
    record_op(
        cases, inputs, "matmul batched", "matmul",
        {"a": inputs.normal(2, 3, 4), "b": inputs.normal(4, 5)},
        lambda a, b: {"output": torch.matmul(a, b)},
        ("a", "b"),
    )
    record_op(
        cases, inputs, "relu", "relu",
        {"input": inputs.normal(4, 5)},
        lambda input: {"output": F.relu(input)},
        ("input",),
    )
    record_op(
        cases, inputs, "gelu", "gelu",
        {"input": inputs.normal(4, 5)},
        lambda input: {"output": F.gelu(input)},
        ("input",),
    )
    record_op(
        cases, inputs, "embedding", "embedding",
        {"weight": inputs.normal(6, 3), "indices": torch.tensor([[0, 2, 5], [2, 2, 1]])},
        lambda weight, indices: {"output": F.embedding(indices, weight)},
        ("weight",),
    )


def record_pooling(cases, inputs):
    record_op(
        cases, inputs, "max_pool2d stem", "max_pool2d",
        {"input": inputs.normal(2, 3, 8, 8)},
        lambda input: {"output": F.max_pool2d(input, 3, stride=2, padding=1)},
        ("input",), {"kernelSize": 3, "stride": 2, "padding": 1},
    )
    record_op(
        cases, inputs, "adaptive_avg_pool2d 1x1", "adaptive_avg_pool2d",
        {"input": inputs.normal(2, 3, 5, 5)},
        lambda input: {"output": F.adaptive_avg_pool2d(input, 1)},
        ("input",), {"outputSize": 1},
    )
    record_op(
        cases, inputs, "adaptive_max_pool2d 1x1", "adaptive_max_pool2d",
        {"input": inputs.normal(2, 3, 5, 5)},
        lambda input: {"output": F.adaptive_max_pool2d(input, 1)},
        ("input",), {"outputSize": 1},
    )


def record_softmax_and_loss(cases, inputs):
    record_op(
        cases, inputs, "log_softmax", "log_softmax",
        {"input": inputs.normal(4, 6)},
        lambda input: {"output": F.log_softmax(input, dim=1)},
        ("input",), {"dim": 1},
    )
    record_op(
        cases, inputs, "softmax last dim", "softmax",
        {"input": inputs.normal(3, 4, 5)},
        lambda input: {"output": F.softmax(input, dim=-1)},
        ("input",), {"dim": -1},
    )
    record_op(
        cases, inputs, "cross_entropy mean", "cross_entropy",
        {"logits": inputs.normal(5, 4), "target": inputs.integers(0, 4, 5)},
        lambda logits, target: {"output": F.cross_entropy(logits, target, reduction="mean")},
        ("logits",),
    )


def record_shape_ops(cases, inputs):
    record_op(
        cases, inputs, "cat along dim 1", "cat",
        {"a": inputs.normal(2, 3, 4), "b": inputs.normal(2, 1, 4)},
        lambda a, b: {"output": torch.cat([a, b], dim=1)},
        ("a", "b"), {"dim": 1},
    )
    record_op(
        cases, inputs, "flatten from dim 1", "flatten",
        {"input": inputs.normal(2, 3, 4, 5)},
        lambda input: {"output": torch.flatten(input, 1)},
        ("input",), {"startDim": 1},
    )
    record_op(
        cases, inputs, "view", "view",
        {"input": inputs.normal(2, 3, 4, 5)},
        lambda input: {"output": input.view(6, 20)},
        ("input",), {"shape": [6, 20]},
    )
    record_op(
        cases, inputs, "permute", "permute",
        {"input": inputs.normal(2, 3, 4, 5)},
        lambda input: {"output": input.permute(0, 2, 3, 1)},
        ("input",), {"dims": [0, 2, 3, 1]},
    )
    # A permuted tensor is not contiguous, so flattening it must copy rather than view.
    record_op(
        cases, inputs, "permute then flatten", "permute_flatten",
        {"input": inputs.normal(2, 3, 4, 5)},
        lambda input: {"output": input.permute(0, 2, 3, 1).flatten(1)},
        ("input",), {"dims": [0, 2, 3, 1], "startDim": 1},
    )
    record_op(
        cases, inputs, "index_select with repeats", "index_select",
        {"input": inputs.normal(5, 4), "index": torch.tensor([3, 0, 3, 1])},
        lambda input, index: {"output": torch.index_select(input, 0, index)},
        ("input",), {"dim": 0},
    )
    record_op(
        cases, inputs, "argmax along dim 1", "argmax",
        {"input": inputs.normal(4, 6)},
        lambda input: {"output": torch.argmax(input, dim=1)},
        (), {"dim": 1},
    )
    record_op(
        cases, inputs, "argmax of all elements", "argmax",
        {"input": inputs.normal(4, 6)},
        lambda input: {"output": torch.argmax(input)},
        (), {},
    )


def record_reductions(cases, inputs):
    record_op(
        cases, inputs, "sum over dims 0 and 2", "sum",
        {"input": inputs.normal(2, 3, 4)},
        lambda input: {"output": input.sum(dim=[0, 2])},
        ("input",), {"dims": [0, 2], "keepdim": False},
    )
    record_op(
        cases, inputs, "sum of all elements", "sum",
        {"input": inputs.normal(2, 3, 4)},
        lambda input: {"output": input.sum()},
        ("input",), {},
    )
    record_op(
        cases, inputs, "mean over dim 1 keepdim", "mean",
        {"input": inputs.normal(2, 3, 4)},
        lambda input: {"output": input.mean(dim=[1], keepdim=True)},
        ("input",), {"dims": [1], "keepdim": True},
    )
    record_op(
        cases, inputs, "var unbiased over dim 1", "var",
        {"input": inputs.normal(2, 3, 4)},
        lambda input: {"output": input.var(dim=[1], unbiased=True)},
        ("input",), {"dims": [1], "unbiased": True, "keepdim": False},
    )
    record_op(
        cases, inputs, "var biased over dims 0 and 2", "var",
        {"input": inputs.normal(2, 3, 4)},
        lambda input: {"output": input.var(dim=[0, 2], unbiased=False, keepdim=True)},
        ("input",), {"dims": [0, 2], "unbiased": False, "keepdim": True},
    )


def record_arithmetic(cases, inputs):
    # a [3, 1, 4] and b [2, 4] broadcast to [3, 2, 4].
    binary = {
        "add": torch.add,
        "sub": torch.sub,
        "mul": torch.mul,
        "div": torch.div,
    }
    for op, function in binary.items():
        record_op(
            cases, inputs, f"{op} with broadcasting", op,
            {"a": inputs.normal(3, 1, 4), "b": inputs.away_from_zero(2, 4)},
            lambda a, b, function=function: {"output": function(a, b)},
            ("a", "b"),
        )
    record_op(
        cases, inputs, "arithmetic with scalars", "scalar_arithmetic",
        {"a": inputs.away_from_zero(3, 4)},
        lambda a: {"add": a + 1.5, "sub": a - 2.25, "mul": a * 2.5, "div": a / 0.75},
        ("a",), {"scalar": {"add": 1.5, "sub": 2.25, "mul": 2.5, "div": 0.75}},
    )

    # Small integers stored as floats, so that some pairs compare equal.
    def comparisons(a, b):
        return {
            "eq": a.eq(b), "ne": a.ne(b), "lt": a.lt(b), "le": a.le(b), "gt": a.gt(b), "ge": a.ge(b),
            "gtScalar": a.gt(0),
        }

    record_op(
        cases, inputs, "comparisons with broadcasting", "comparisons",
        {"a": inputs.integers(-2, 3, 3, 4, dtype=torch.float64), "b": inputs.integers(-2, 3, 4, dtype=torch.float64)},
        comparisons,
    )


def run_optimizer(problem, spec):
    """Train the regression problem for OPTIMIZER_STEPS steps and return the loss and parameters of each step."""
    weight = problem["weight"].clone().requires_grad_(True)
    bias = problem["bias"].clone().requires_grad_(True)
    parameters = {"weight": weight, "bias": bias}
    groups = [
        {"params": [parameters[name] for name in group["params"]], "weight_decay": group["weightDecay"]}
        for group in spec["groups"]
    ]
    options = spec["options"]
    if spec["kind"] == "sgd":
        optimizer = torch.optim.SGD(groups, lr=options["lr"], momentum=options["momentum"])
    else:
        optimizer_class = torch.optim.Adam if spec["kind"] == "adam" else torch.optim.AdamW
        optimizer = optimizer_class(
            groups, lr=options["lr"], betas=(options["momentum"], options["beta2"]), eps=options["eps"]
        )

    steps = []
    for step in range(OPTIMIZER_STEPS):
        change = spec["schedule"][step]
        if change is not None:
            for group in optimizer.param_groups:
                group["lr"] = change["lr"]
                if spec["kind"] == "sgd":
                    group["momentum"] = change["momentum"]
                else:
                    group["betas"] = (change["momentum"], group["betas"][1])

        optimizer.zero_grad(set_to_none=True)
        prediction = torch.matmul(problem["x"], weight.t()) + bias  # [4, 3]
        loss = ((prediction - problem["y"]) ** 2).mean()
        loss.backward()
        optimizer.step()
        steps.append({"loss": loss.item(), "weight": encode(weight), "bias": encode(bias)})
    return steps


def record_optimizers(inputs):
    """Five steps of SGD, Adam and AdamW on mean((x @ weightᵀ + bias - y)²) with x [4, 2], y [4, 3]."""
    problem = {
        "x": inputs.normal(4, 2),
        "y": inputs.normal(4, 3),
        "weight": inputs.normal(3, 2),
        "bias": inputs.normal(3),
    }
    decay_weight_only = [{"params": ["weight"], "weightDecay": 0.01}, {"params": ["bias"], "weightDecay": 0.0}]
    no_change = [None] * OPTIMIZER_STEPS
    specs = [
        {
            "name": "sgd with momentum",
            "kind": "sgd",
            "options": {"lr": 0.1, "momentum": 0.9},
            "groups": decay_weight_only,
            "schedule": no_change,
        },
        {
            "name": "adam",
            "kind": "adam",
            "options": {"lr": 0.05, "momentum": 0.9, "beta2": 0.999, "eps": 1e-8},
            "groups": decay_weight_only,
            "schedule": no_change,
        },
        {
            "name": "adamw fastai betas",
            "kind": "adamw",
            "options": {"lr": 0.05, "momentum": 0.9, "beta2": 0.99, "eps": 1e-5},
            "groups": decay_weight_only,
            "schedule": no_change,
        },
        {
            "name": "sgd with changing lr and momentum",
            "kind": "sgd",
            "options": {"lr": 0.1, "momentum": 0.9},
            "groups": decay_weight_only,
            "schedule": [None, None, {"lr": 0.05, "momentum": 0.5}, None, {"lr": 0.02, "momentum": 0.8}],
        },
        {
            "name": "adamw with changing lr and beta1",
            "kind": "adamw",
            "options": {"lr": 0.05, "momentum": 0.9, "beta2": 0.99, "eps": 1e-5},
            "groups": decay_weight_only,
            "schedule": [None, {"lr": 0.02, "momentum": 0.85}, None, {"lr": 0.01, "momentum": 0.95}, None],
        },
    ]
    for spec in specs:
        spec["steps"] = run_optimizer(problem, spec)
    return {"problem": {key: encode(value) for key, value in problem.items()}, "runs": specs}


def record_random_streams():
    """randn and dropout masks drawn from the default generator right after manual_seed."""
    seed = 1234
    torch.manual_seed(seed)
    randn_float32 = torch.randn(20)
    torch.manual_seed(seed)
    randn_float64 = torch.randn(20, dtype=torch.float64)
    torch.manual_seed(seed)
    dropout = F.dropout(torch.ones(64), p=0.5, training=True)
    return {
        "seed": seed,
        "randnFloat32": encode(randn_float32),
        "randnFloat64": encode(randn_float64),
        "dropoutOfOnes": {"p": 0.5, "output": encode(dropout)},
    }


def format_json(value, indent=0):
    """Format nested dicts and lists with one key per line, but each tensor on a single line."""
    pad = " " * indent
    inner = " " * (indent + 1)
    if isinstance(value, dict) and "values" not in value and value:
        items = [f"{inner}{json.dumps(key)}: {format_json(item, indent + 1)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and any(isinstance(item, (dict, list)) for item in value):
        items = [inner + format_json(item, indent + 1) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


def main():
    # One thread keeps reduction order, and so every bit of the output, the same across runs.
    torch.set_num_threads(1)
    inputs = Inputs(SEED)

    cases = []
    record_convolution_and_normalization(cases, inputs)
    record_dense_and_activations(cases, inputs)
    record_pooling(cases, inputs)
    record_softmax_and_loss(cases, inputs)
    record_shape_ops(cases, inputs)
    record_reductions(cases, inputs)
    record_arithmetic(cases, inputs)

    fixture = {
        "header": {
            "description": "PyTorch reference values for test/torch. Gradients are those of sum(output * outputWeights) over the outputs that have weights.",
            "command": COMMAND,
            "torch": torch.__version__,
            "python": platform.python_version(),
            "seed": SEED,
            "threads": 1,
        },
        "ops": cases,
        "optimizers": record_optimizers(inputs),
        "random": record_random_streams(),
    }

    OUTPUT_PATH.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT_PATH.write_text(format_json(fixture) + "\n")
    print(f"wrote {OUTPUT_PATH} ({OUTPUT_PATH.stat().st_size} bytes, {len(cases)} op cases)", file=sys.stderr)


if __name__ == "__main__":
    main()
