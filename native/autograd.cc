// Autograd: gradient requirements, backward passes and the grad-mode switch behind noGrad.
#include "arguments.h"
#include "registry.h"

namespace residual_lab {

namespace {

using Tensor = torch::Tensor;

Napi::Value SetRequiresGrad(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "setRequiresGrad");
  bool requires_grad = BoolArgument(info, 1, "setRequiresGrad");
  return RunOp(info, "setRequiresGrad", [&] {
    x.set_requires_grad(requires_grad);
    return info.Env().Undefined();
  });
}

Napi::Value RequiresGrad(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), TensorArgument(info, 0, "requiresGrad").requires_grad());
}

// grad(x): the accumulated gradient as a new handle, or null when there is none.
Napi::Value Grad(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "grad");
  return TensorResult(info.Env(), x.grad());
}

Napi::Value ClearGrad(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "clearGrad");
  x.mutable_grad().reset();
  return info.Env().Undefined();
}

// backward(output, gradient | null, retainGraph)
Napi::Value Backward(const Napi::CallbackInfo& info) {
  Tensor& output = TensorArgument(info, 0, "backward");
  auto gradient = OptionalTensorArgument(info, 1, "backward");
  bool retain_graph = BoolArgument(info, 2, "backward");
  return RunOp(info, "backward", [&] {
    output.backward(gradient ? *gradient : Tensor(), retain_graph);
    return info.Env().Undefined();
  });
}

// gradients(outputs, inputs, gradOutputs | null, createGraph): d(outputs)/d(inputs) without
// touching .grad; inputs that the outputs do not depend on get zeros.
Napi::Value Gradients(const Napi::CallbackInfo& info) {
  const char* op = "gradients";
  auto outputs = TensorListArgument(info, 0, op);
  auto inputs = TensorListArgument(info, 1, op);
  std::vector<Tensor> grad_outputs;
  if (!info[2].IsNull() && !info[2].IsUndefined()) grad_outputs = TensorListArgument(info, 2, op);
  bool create_graph = BoolArgument(info, 3, op);
  return RunOp(info, op, [&] {
    auto gradients = torch::autograd::grad(outputs, inputs, grad_outputs, create_graph, create_graph, /*allow_unused=*/true);
    for (size_t i = 0; i < gradients.size(); ++i) {
      if (!gradients[i].defined()) gradients[i] = torch::zeros_like(inputs[i]);
    }
    return TensorListResult(info.Env(), gradients);
  });
}

// setGradEnabled(enabled): returns the previous mode so a scope can restore it.
Napi::Value SetGradEnabled(const Napi::CallbackInfo& info) {
  bool enabled = BoolArgument(info, 0, "setGradEnabled");
  bool previous = at::GradMode::is_enabled();
  at::GradMode::set_enabled(enabled);
  return Napi::Boolean::New(info.Env(), previous);
}

Napi::Value IsGradEnabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), at::GradMode::is_enabled());
}

}  // namespace

void RegisterAutograd(Napi::Env env, Napi::Object exports) {
  Register(env, exports, "setRequiresGrad", SetRequiresGrad);
  Register(env, exports, "requiresGrad", RequiresGrad);
  Register(env, exports, "grad", Grad);
  Register(env, exports, "clearGrad", ClearGrad);
  Register(env, exports, "backward", Backward);
  Register(env, exports, "gradients", Gradients);
  Register(env, exports, "setGradEnabled", SetGradEnabled);
  Register(env, exports, "isGradEnabled", IsGradEnabled);
}

}  // namespace residual_lab
