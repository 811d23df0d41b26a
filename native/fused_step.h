// One pass over memory per parameter for SGD, Adam and AdamW steps. libtorch 1.13's optimizers
// run each update as a chain of tensor ops (mul_, add_, addcmul_, sqrt, div, add_, addcdiv_), so
// every element travels through memory about twenty times. The fused loops read the parameter,
// its gradient and its buffers once and write them once.
#pragma once

#include <torch/torch.h>

#include <string>

namespace residual_lab {

// Runs one step of the optimizer (kind "sgd", "adam" or "adamw") with the fused loops, keeping
// its state in libtorch's own state map so that checkpoints are unchanged. Returns false, having
// changed nothing, when a parameter does not suit the loops (not float32, not dense, or gradient
// strides that differ from the parameter's). The caller then runs libtorch's step.
bool FusedStep(const std::string& kind, torch::optim::Optimizer& optimizer);

}  // namespace residual_lab
