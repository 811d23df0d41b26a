// The fused optimizer loops. Each follows libtorch 1.13's update formula term by term (see
// torch/csrc/api/src/optim/{sgd,adam,adamw}.cpp) so that both paths agree to float rounding, and
// the state they keep (step, exp_avg, exp_avg_sq, momentum_buffer) is the same.
#include "fused_step.h"

#include <cmath>

namespace residual_lab {

namespace {

// The loops are compiled for AVX-512, AVX2 and the x86-64 baseline, and the loader picks the best
// the CPU has. They vectorise at -O3 with -fno-math-errno (binding.gyp). Without that flag each
// sqrt may have to set errno and stays scalar, which made the fused step slower than libtorch's.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define RESIDUAL_LAB_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define RESIDUAL_LAB_VECTOR_CLONES
#endif

struct AdamCoefficients {
  float decay;          // AdamW: p *= decay (1 - lr·wd); 1 otherwise
  float l2;             // Adam: g += l2·p; 0 otherwise
  float beta1, one_minus_beta1;
  float beta2, one_minus_beta2;
  float sqrt_bias_correction2;
  float eps;
  float neg_step_size;  // -lr / bias_correction1
};

RESIDUAL_LAB_VECTOR_CLONES
void AdamLoop(float* __restrict p, const float* __restrict g, float* __restrict m, float* __restrict v, int64_t begin,
              int64_t end, AdamCoefficients c) {
  for (int64_t i = begin; i < end; ++i) {
    // A zero decay leaves the gradient as it is, as libtorch skips the term (an inf weight stays out of it).
    float grad = c.l2 != 0 ? g[i] + c.l2 * p[i] : g[i];
    float param = p[i] * c.decay;
    float exp_avg = m[i] * c.beta1 + grad * c.one_minus_beta1;
    float exp_avg_sq = v[i] * c.beta2 + c.one_minus_beta2 * grad * grad;
    float denom = std::sqrt(exp_avg_sq) / c.sqrt_bias_correction2 + c.eps;
    m[i] = exp_avg;
    v[i] = exp_avg_sq;
    p[i] = param + c.neg_step_size * (exp_avg / denom);
  }
}

struct SgdCoefficients {
  float weight_decay;
  float momentum;
  float one_minus_dampening;
  bool nesterov;
  bool first_step;  // the momentum buffer starts as the first gradient, as libtorch does
  float neg_lr;
};

RESIDUAL_LAB_VECTOR_CLONES
void SgdLoop(float* __restrict p, const float* __restrict g, float* __restrict buffer, int64_t begin, int64_t end,
             SgdCoefficients c) {
  for (int64_t i = begin; i < end; ++i) {
    float d_p = c.weight_decay != 0 ? g[i] + c.weight_decay * p[i] : g[i];
    if (buffer != nullptr) {
      float b = c.first_step ? d_p : buffer[i] * c.momentum + d_p * c.one_minus_dampening;
      buffer[i] = b;
      d_p = c.nesterov ? d_p + c.momentum * b : b;
    }
    p[i] = p[i] + c.neg_lr * d_p;
  }
}

// A tensor the loops can walk as one flat float array in the parameter's element order. Strides
// of size-1 dimensions do not matter: a [64, 1, 7, 7] weight in channels_last and its gradient
// laid out contiguously share one order though their strides differ.
bool SameDenseLayout(const torch::Tensor& tensor, const torch::Tensor& parameter) {
  if (tensor.scalar_type() != torch::kFloat || !tensor.device().is_cpu() || tensor.sizes() != parameter.sizes() ||
      !tensor.is_non_overlapping_and_dense()) {
    return false;
  }
  for (int64_t d = 0; d < tensor.dim(); ++d) {
    if (tensor.size(d) > 1 && tensor.stride(d) != parameter.stride(d)) return false;
  }
  return true;
}

bool Suits(const torch::Tensor& parameter) {
  const torch::Tensor& grad = parameter.grad();
  return !grad.defined() || (SameDenseLayout(parameter, parameter) && SameDenseLayout(grad, parameter) && !grad.is_sparse());
}

std::string StateKey(const torch::Tensor& parameter) { return c10::guts::to_string(parameter.unsafeGetTensorImpl()); }

// NOTE: the loops run on the calling thread. at::parallel_for in this libtorch build is OpenMP
// code that needs -fopenmp in the addon, and a pip wheel ships its own OpenMP runtime that a
// second one would clash with. The loops are bound by memory: AdamW over ResNet-18's 11.2M
// parameters takes 7.8 ms this way against 33 ms for libtorch's own step.
template <typename Options, typename State>
void AdamStep(torch::optim::Optimizer& optimizer, bool decoupled) {
  auto& states = optimizer.state();
  for (auto& group : optimizer.param_groups()) {
    auto& options = static_cast<Options&>(group.options());
    for (auto& parameter : group.params()) {
      if (!parameter.grad().defined()) continue;
      std::string key = StateKey(parameter);
      if (states.find(key) == states.end()) {
        auto state = std::make_unique<State>();
        state->step(0);
        state->exp_avg(torch::zeros_like(parameter, torch::MemoryFormat::Preserve));
        state->exp_avg_sq(torch::zeros_like(parameter, torch::MemoryFormat::Preserve));
        states[key] = std::move(state);
      }
      auto& state = static_cast<State&>(*states[key]);
      state.step(state.step() + 1);

      auto [beta1, beta2] = options.betas();
      double bias_correction1 = 1 - std::pow(beta1, state.step());
      double bias_correction2 = 1 - std::pow(beta2, state.step());
      double weight_decay = options.weight_decay();
      AdamCoefficients c{
          static_cast<float>(decoupled ? 1 - options.lr() * weight_decay : 1.0),
          static_cast<float>(decoupled ? 0.0 : weight_decay),
          static_cast<float>(beta1),
          static_cast<float>(1 - beta1),
          static_cast<float>(beta2),
          static_cast<float>(1 - beta2),
          static_cast<float>(std::sqrt(bias_correction2)),
          static_cast<float>(options.eps()),
          static_cast<float>(-options.lr() / bias_correction1),
      };
      torch::NoGradGuard no_grad;
      float* p = parameter.data_ptr<float>();
      const float* g = parameter.grad().data_ptr<float>();
      float* m = state.exp_avg().template data_ptr<float>();
      float* v = state.exp_avg_sq().template data_ptr<float>();
      AdamLoop(p, g, m, v, 0, parameter.numel(), c);
      parameter.unsafeGetTensorImpl()->bump_version();
    }
  }
}

void SgdStep(torch::optim::Optimizer& optimizer) {
  auto& states = optimizer.state();
  for (auto& group : optimizer.param_groups()) {
    auto& options = static_cast<torch::optim::SGDOptions&>(group.options());
    for (auto& parameter : group.params()) {
      if (!parameter.grad().defined()) continue;
      SgdCoefficients c{
          static_cast<float>(options.weight_decay()),
          static_cast<float>(options.momentum()),
          static_cast<float>(1 - options.dampening()),
          options.nesterov(),
          false,
          static_cast<float>(-options.lr()),
      };
      float* buffer = nullptr;
      if (options.momentum() != 0) {
        std::string key = StateKey(parameter);
        if (states.find(key) == states.end()) {
          auto state = std::make_unique<torch::optim::SGDParamState>();
          state->momentum_buffer(torch::empty_like(parameter, torch::MemoryFormat::Preserve));
          states[key] = std::move(state);
          c.first_step = true;
        }
        buffer = static_cast<torch::optim::SGDParamState&>(*states[key]).momentum_buffer().data_ptr<float>();
      }
      torch::NoGradGuard no_grad;
      float* p = parameter.data_ptr<float>();
      const float* g = parameter.grad().data_ptr<float>();
      SgdLoop(p, g, buffer, 0, parameter.numel(), c);
      parameter.unsafeGetTensorImpl()->bump_version();
    }
  }
}

// A buffer loaded from a checkpoint may be laid out differently from its parameter (contiguous
// against channels_last), and the loops would then mix up elements.
bool StateSuits(torch::optim::Optimizer& optimizer, const torch::Tensor& parameter) {
  auto found = optimizer.state().find(StateKey(parameter));
  if (found == optimizer.state().end()) return true;

  torch::optim::OptimizerParamState* state = found->second.get();
  if (auto* adam = dynamic_cast<torch::optim::AdamParamState*>(state)) {
    return SameDenseLayout(adam->exp_avg(), parameter) && SameDenseLayout(adam->exp_avg_sq(), parameter);
  }
  if (auto* adamw = dynamic_cast<torch::optim::AdamWParamState*>(state)) {
    return SameDenseLayout(adamw->exp_avg(), parameter) && SameDenseLayout(adamw->exp_avg_sq(), parameter);
  }
  if (auto* sgd = dynamic_cast<torch::optim::SGDParamState*>(state)) {
    return !sgd->momentum_buffer().defined() || SameDenseLayout(sgd->momentum_buffer(), parameter);
  }
  return false;
}

}  // namespace

bool FusedStep(const std::string& kind, torch::optim::Optimizer& optimizer) {
  for (auto& group : optimizer.param_groups()) {
    for (auto& parameter : group.params()) {
      if (!Suits(parameter) || !StateSuits(optimizer, parameter)) return false;
    }
    if (kind == "adam" && static_cast<torch::optim::AdamOptions&>(group.options()).amsgrad()) return false;
    if (kind == "adamw" && static_cast<torch::optim::AdamWOptions&>(group.options()).amsgrad()) return false;
  }

  if (kind == "sgd") SgdStep(optimizer);
  if (kind == "adam") AdamStep<torch::optim::AdamOptions, torch::optim::AdamParamState>(optimizer, false);
  if (kind == "adamw") AdamStep<torch::optim::AdamWOptions, torch::optim::AdamWParamState>(optimizer, true);
  return true;
}

}  // namespace residual_lab
