// The neural-network functionals: convolution, normalisation, pooling, dropout and losses.
#include "arguments.h"
#include "registry.h"

namespace residual_lab {

namespace {

using Tensor = torch::Tensor;

int64_t ReductionArgument(const Napi::CallbackInfo& info, size_t index, const char* op) {
  std::string reduction = StringArgument(info, index, op);
  if (reduction == "mean") return at::Reduction::Mean;
  if (reduction == "sum") return at::Reduction::Sum;
  if (reduction == "none") return at::Reduction::None;
  throw Napi::TypeError::New(info.Env(), std::string(op) + ": reduction must be 'mean', 'sum' or 'none', got '" + reduction + "'");
}

// conv2d(input, weight, bias | null, stride, padding, dilation, groups)
Napi::Value Conv2d(const Napi::CallbackInfo& info) {
  const char* op = "conv2d";
  Tensor& input = TensorArgument(info, 0, op);
  Tensor& weight = TensorArgument(info, 1, op);
  auto bias = OptionalTensorArgument(info, 2, op);
  auto stride = IntListArgument(info, 3, op);
  auto padding = IntListArgument(info, 4, op);
  auto dilation = IntListArgument(info, 5, op);
  int64_t groups = IntArgument(info, 6, op);
  return RunOp(info, op, [&] {
    return TensorResult(info.Env(), torch::conv2d(input, weight, bias ? *bias : Tensor(), stride, padding, dilation, groups));
  });
}

// batchNorm(input, weight | null, bias | null, runningMean | null, runningVar | null, training, momentum, eps)
// In training mode libtorch updates the running statistics in place.
Napi::Value BatchNorm(const Napi::CallbackInfo& info) {
  const char* op = "batchNorm";
  Tensor& input = TensorArgument(info, 0, op);
  auto weight = OptionalTensorArgument(info, 1, op);
  auto bias = OptionalTensorArgument(info, 2, op);
  auto running_mean = OptionalTensorArgument(info, 3, op);
  auto running_var = OptionalTensorArgument(info, 4, op);
  bool training = BoolArgument(info, 5, op);
  double momentum = NumberArgument(info, 6, op);
  double eps = NumberArgument(info, 7, op);
  return RunOp(info, op, [&] {
    return TensorResult(info.Env(), torch::batch_norm(input, weight ? *weight : Tensor(), bias ? *bias : Tensor(),
                                                      running_mean ? *running_mean : Tensor(), running_var ? *running_var : Tensor(),
                                                      training, momentum, eps, /*cudnn_enabled=*/true));
  });
}

// layerNorm(input, normalizedShape, weight | null, bias | null, eps)
Napi::Value LayerNorm(const Napi::CallbackInfo& info) {
  const char* op = "layerNorm";
  Tensor& input = TensorArgument(info, 0, op);
  auto normalized_shape = IntListArgument(info, 1, op);
  auto weight = OptionalTensorArgument(info, 2, op);
  auto bias = OptionalTensorArgument(info, 3, op);
  double eps = NumberArgument(info, 4, op);
  return RunOp(info, op, [&] {
    return TensorResult(info.Env(), torch::layer_norm(input, normalized_shape, weight ? *weight : Tensor(), bias ? *bias : Tensor(), eps));
  });
}

// linear(input, weight, bias | null): input @ weight^T + bias.
Napi::Value Linear(const Napi::CallbackInfo& info) {
  const char* op = "linear";
  Tensor& input = TensorArgument(info, 0, op);
  Tensor& weight = TensorArgument(info, 1, op);
  auto bias = OptionalTensorArgument(info, 2, op);
  return RunOp(info, op, [&] { return TensorResult(info.Env(), torch::linear(input, weight, bias ? *bias : Tensor())); });
}

// maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode)
Napi::Value MaxPool2d(const Napi::CallbackInfo& info) {
  const char* op = "maxPool2d";
  Tensor& input = TensorArgument(info, 0, op);
  auto kernel = IntListArgument(info, 1, op);
  auto stride = IntListArgument(info, 2, op);
  auto padding = IntListArgument(info, 3, op);
  auto dilation = IntListArgument(info, 4, op);
  bool ceil_mode = BoolArgument(info, 5, op);
  return RunOp(info, op, [&] {
    return TensorResult(info.Env(), torch::max_pool2d(input, kernel, stride, padding, dilation, ceil_mode));
  });
}

// avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad)
Napi::Value AvgPool2d(const Napi::CallbackInfo& info) {
  const char* op = "avgPool2d";
  Tensor& input = TensorArgument(info, 0, op);
  auto kernel = IntListArgument(info, 1, op);
  auto stride = IntListArgument(info, 2, op);
  auto padding = IntListArgument(info, 3, op);
  bool ceil_mode = BoolArgument(info, 4, op);
  bool count_include_pad = BoolArgument(info, 5, op);
  return RunOp(info, op, [&] {
    return TensorResult(info.Env(), torch::avg_pool2d(input, kernel, stride, padding, ceil_mode, count_include_pad));
  });
}

Napi::Value AdaptiveAvgPool2d(const Napi::CallbackInfo& info) {
  Tensor& input = TensorArgument(info, 0, "adaptiveAvgPool2d");
  auto size = IntListArgument(info, 1, "adaptiveAvgPool2d");
  return RunOp(info, "adaptiveAvgPool2d", [&] { return TensorResult(info.Env(), torch::adaptive_avg_pool2d(input, size)); });
}

Napi::Value AdaptiveMaxPool2d(const Napi::CallbackInfo& info) {
  Tensor& input = TensorArgument(info, 0, "adaptiveMaxPool2d");
  auto size = IntListArgument(info, 1, "adaptiveMaxPool2d");
  return RunOp(info, "adaptiveMaxPool2d", [&] {
    return TensorResult(info.Env(), std::get<0>(torch::adaptive_max_pool2d(input, size)));
  });
}

// dropout(input, p, training): draws its mask from the default generator.
Napi::Value Dropout(const Napi::CallbackInfo& info) {
  Tensor& input = TensorArgument(info, 0, "dropout");
  double p = NumberArgument(info, 1, "dropout");
  bool training = BoolArgument(info, 2, "dropout");
  return RunOp(info, "dropout", [&] { return TensorResult(info.Env(), torch::dropout(input, p, training)); });
}

Napi::Value LogSoftmax(const Napi::CallbackInfo& info) {
  Tensor& input = TensorArgument(info, 0, "logSoftmax");
  int64_t dim = IntArgument(info, 1, "logSoftmax");
  return RunOp(info, "logSoftmax", [&] { return TensorResult(info.Env(), torch::log_softmax(input, dim)); });
}

Napi::Value Softmax(const Napi::CallbackInfo& info) {
  Tensor& input = TensorArgument(info, 0, "softmax");
  int64_t dim = IntArgument(info, 1, "softmax");
  return RunOp(info, "softmax", [&] { return TensorResult(info.Env(), torch::softmax(input, dim)); });
}

// crossEntropy(logits [N, C], target [N] int64, reduction, labelSmoothing)
Napi::Value CrossEntropy(const Napi::CallbackInfo& info) {
  const char* op = "crossEntropy";
  Tensor& logits = TensorArgument(info, 0, op);
  Tensor& target = TensorArgument(info, 1, op);
  int64_t reduction = ReductionArgument(info, 2, op);
  double label_smoothing = NumberArgument(info, 3, op);
  return RunOp(info, op, [&] {
    return TensorResult(info.Env(), torch::cross_entropy_loss(logits, target, {}, reduction, -100, label_smoothing));
  });
}

Napi::Value NllLoss(const Napi::CallbackInfo& info) {
  const char* op = "nllLoss";
  Tensor& log_probabilities = TensorArgument(info, 0, op);
  Tensor& target = TensorArgument(info, 1, op);
  int64_t reduction = ReductionArgument(info, 2, op);
  return RunOp(info, op, [&] { return TensorResult(info.Env(), torch::nll_loss(log_probabilities, target, {}, reduction)); });
}

Napi::Value MseLoss(const Napi::CallbackInfo& info) {
  const char* op = "mseLoss";
  Tensor& input = TensorArgument(info, 0, op);
  Tensor& target = TensorArgument(info, 1, op);
  int64_t reduction = ReductionArgument(info, 2, op);
  return RunOp(info, op, [&] { return TensorResult(info.Env(), torch::mse_loss(input, target, reduction)); });
}

// embedding(weight [V, D], indices int64): rows of weight.
Napi::Value Embedding(const Napi::CallbackInfo& info) {
  Tensor& weight = TensorArgument(info, 0, "embedding");
  Tensor& indices = TensorArgument(info, 1, "embedding");
  return RunOp(info, "embedding", [&] { return TensorResult(info.Env(), torch::embedding(weight, indices)); });
}

}  // namespace

void RegisterNeuralOps(Napi::Env env, Napi::Object exports) {
  Register(env, exports, "conv2d", Conv2d);
  Register(env, exports, "batchNorm", BatchNorm);
  Register(env, exports, "layerNorm", LayerNorm);
  Register(env, exports, "linear", Linear);
  Register(env, exports, "maxPool2d", MaxPool2d);
  Register(env, exports, "avgPool2d", AvgPool2d);
  Register(env, exports, "adaptiveAvgPool2d", AdaptiveAvgPool2d);
  Register(env, exports, "adaptiveMaxPool2d", AdaptiveMaxPool2d);
  Register(env, exports, "dropout", Dropout);
  Register(env, exports, "logSoftmax", LogSoftmax);
  Register(env, exports, "softmax", Softmax);
  Register(env, exports, "crossEntropy", CrossEntropy);
  Register(env, exports, "nllLoss", NllLoss);
  Register(env, exports, "mseLoss", MseLoss);
  Register(env, exports, "embedding", Embedding);
}

}  // namespace residual_lab
