"""Write test/fixtures/attention-golden.json: PyTorch's causal multi-head self-attention on
fixed weights, the reference that test/models/transformer.test.ts compares CausalSelfAttention
against.

Run from the project root with Debian's interpreter, which has PyTorch:

    /usr/bin/python3 scripts/make-attention-golden.py

The reference is torch.nn.MultiheadAttention (batch_first, no dropout) with a boolean mask
that hides every later position. Its parameter layout is the one CausalSelfAttention uses: one
input projection for query, key and value, stacked in that order, and an output projection.
Weights and inputs come from one seeded generator in float64, and PyTorch runs on one thread,
so running the script again writes the same file. Besides the output and the per-head
attention weights, the file stores the gradients of sum(output * outputWeight) with respect to
the input and each parameter. Tensors are stored as {"shape", "dtype", "values"}, values
flattened in row-major order.
"""

import json
from pathlib import Path

import torch

SEED = 20240607
D_MODEL = 8
N_HEADS = 2
BATCH = 2
LENGTH = 5
COMMAND = "/usr/bin/python3 scripts/make-attention-golden.py"
OUTPUT_PATH = Path(__file__).resolve().parent.parent / "test" / "fixtures" / "attention-golden.json"


def encode(tensor):
    """Return a float64 tensor as the fixture's {"shape", "dtype", "values"} object."""
    tensor = tensor.detach().contiguous()
    return {"shape": list(tensor.shape), "dtype": "float64", "values": tensor.flatten().tolist()}


def main():
    torch.set_num_threads(1)
    generator = torch.Generator().manual_seed(SEED)

    def normal(*shape, scale=1.0):
        return torch.randn(shape, generator=generator, dtype=torch.float64) * scale

    attention = torch.nn.MultiheadAttention(D_MODEL, N_HEADS, dropout=0.0, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        attention.in_proj_weight.copy_(normal(3 * D_MODEL, D_MODEL, scale=0.5))
        attention.in_proj_bias.copy_(normal(3 * D_MODEL, scale=0.1))
        attention.out_proj.weight.copy_(normal(D_MODEL, D_MODEL, scale=0.5))
        attention.out_proj.bias.copy_(normal(D_MODEL, scale=0.1))

    inputs = normal(BATCH, LENGTH, D_MODEL).requires_grad_(True)
    # True marks a position that may not be attended to: every column right of the diagonal.
    future = torch.triu(torch.ones(LENGTH, LENGTH, dtype=torch.bool), diagonal=1)
    output, weights = attention(inputs, inputs, inputs, attn_mask=future, need_weights=True, average_attn_weights=False)

    output_weight = normal(BATCH, LENGTH, D_MODEL)
    parameters = {
        "inProjection.weight": attention.in_proj_weight,
        "inProjection.bias": attention.in_proj_bias,
        "outProjection.weight": attention.out_proj.weight,
        "outProjection.bias": attention.out_proj.bias,
    }
    differentiable = [inputs, *parameters.values()]
    gradients = torch.autograd.grad((output * output_weight).sum(), differentiable)

    fixture = {
        "header": {"command": COMMAND, "torch": torch.__version__, "seed": SEED},
        "dModel": D_MODEL,
        "nHeads": N_HEADS,
        "parameters": {name: encode(value) for name, value in parameters.items()},
        "input": encode(inputs),
        "output": encode(output),
        "attentionWeights": encode(weights),
        "outputWeight": encode(output_weight),
        "gradients": {name: encode(gradient) for name, gradient in zip(["input", *parameters.keys()], gradients)},
    }
    OUTPUT_PATH.write_text(json.dumps(fixture, indent=1) + "\n")
    print(f"wrote {OUTPUT_PATH}")


if __name__ == "__main__":
    main()
