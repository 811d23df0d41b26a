// Views, layout changes, joins and indexing.
#include "arguments.h"
#include "registry.h"

namespace residual_lab {

namespace {

using Tensor = torch::Tensor;

Napi::Value Reshape(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "reshape");
  auto shape = IntListArgument(info, 1, "reshape");
  return RunOp(info, "reshape", [&] { return TensorResult(info.Env(), x.reshape(shape)); });
}

Napi::Value View(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "view");
  auto shape = IntListArgument(info, 1, "view");
  return RunOp(info, "view", [&] { return TensorResult(info.Env(), x.view(shape)); });
}

Napi::Value Permute(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "permute");
  auto dims = IntListArgument(info, 1, "permute");
  return RunOp(info, "permute", [&] { return TensorResult(info.Env(), x.permute(dims)); });
}

Napi::Value Transpose(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "transpose");
  int64_t dim0 = IntArgument(info, 1, "transpose");
  int64_t dim1 = IntArgument(info, 2, "transpose");
  return RunOp(info, "transpose", [&] { return TensorResult(info.Env(), x.transpose(dim0, dim1)); });
}

Napi::Value Flatten(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "flatten");
  int64_t start = IntArgument(info, 1, "flatten");
  int64_t end = IntArgument(info, 2, "flatten");
  return RunOp(info, "flatten", [&] { return TensorResult(info.Env(), x.flatten(start, end)); });
}

Napi::Value Unsqueeze(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "unsqueeze");
  int64_t dim = IntArgument(info, 1, "unsqueeze");
  return RunOp(info, "unsqueeze", [&] { return TensorResult(info.Env(), x.unsqueeze(dim)); });
}

// squeeze(x, dim | null)
Napi::Value Squeeze(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "squeeze");
  if (info[1].IsNull() || info[1].IsUndefined()) {
    return RunOp(info, "squeeze", [&] { return TensorResult(info.Env(), x.squeeze()); });
  }
  int64_t dim = IntArgument(info, 1, "squeeze");
  return RunOp(info, "squeeze", [&] { return TensorResult(info.Env(), x.squeeze(dim)); });
}

Napi::Value Expand(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "expand");
  auto shape = IntListArgument(info, 1, "expand");
  return RunOp(info, "expand", [&] { return TensorResult(info.Env(), x.expand(shape)); });
}

Napi::Value Repeat(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "repeat");
  auto repeats = IntListArgument(info, 1, "repeat");
  return RunOp(info, "repeat", [&] { return TensorResult(info.Env(), x.repeat(repeats)); });
}

Napi::Value Cat(const Napi::CallbackInfo& info) {
  auto tensors = TensorListArgument(info, 0, "cat");
  int64_t dim = IntArgument(info, 1, "cat");
  return RunOp(info, "cat", [&] { return TensorResult(info.Env(), torch::cat(tensors, dim)); });
}

Napi::Value Stack(const Napi::CallbackInfo& info) {
  auto tensors = TensorListArgument(info, 0, "stack");
  int64_t dim = IntArgument(info, 1, "stack");
  return RunOp(info, "stack", [&] { return TensorResult(info.Env(), torch::stack(tensors, dim)); });
}

// narrow(x, dim, start, length): a view of `length` entries from `start` along `dim`.
Napi::Value Narrow(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "narrow");
  int64_t dim = IntArgument(info, 1, "narrow");
  int64_t start = IntArgument(info, 2, "narrow");
  int64_t length = IntArgument(info, 3, "narrow");
  return RunOp(info, "narrow", [&] { return TensorResult(info.Env(), x.narrow(dim, start, length)); });
}

Napi::Value Select(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "select");
  int64_t dim = IntArgument(info, 1, "select");
  int64_t index = IntArgument(info, 2, "select");
  return RunOp(info, "select", [&] { return TensorResult(info.Env(), x.select(dim, index)); });
}

Napi::Value IndexSelect(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "indexSelect");
  int64_t dim = IntArgument(info, 1, "indexSelect");
  Tensor& index = TensorArgument(info, 2, "indexSelect");
  return RunOp(info, "indexSelect", [&] { return TensorResult(info.Env(), torch::index_select(x, dim, index)); });
}

Napi::Value Gather(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "gather");
  int64_t dim = IntArgument(info, 1, "gather");
  Tensor& index = TensorArgument(info, 2, "gather");
  return RunOp(info, "gather", [&] { return TensorResult(info.Env(), torch::gather(x, dim, index)); });
}

// contiguous(x, format): format is "contiguous" or "channels_last".
Napi::Value Contiguous(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "contiguous");
  std::string format = StringArgument(info, 1, "contiguous");
  if (format != "contiguous" && format != "channels_last") {
    throw Napi::TypeError::New(info.Env(), "contiguous: memory format must be 'contiguous' or 'channels_last', got '" + format + "'");
  }
  auto memory_format = format == "channels_last" ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
  return RunOp(info, "contiguous", [&] { return TensorResult(info.Env(), x.contiguous(memory_format)); });
}

Napi::Value Clone(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "clone");
  return RunOp(info, "clone", [&] { return TensorResult(info.Env(), x.clone()); });
}

Napi::Value Detach(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "detach");
  return RunOp(info, "detach", [&] { return TensorResult(info.Env(), x.detach()); });
}

// to(x, dtype | null, device | null)
Napi::Value To(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "to");
  std::optional<torch::ScalarType> dtype;
  if (info[1].IsString()) dtype = DtypeArgument(info, 1, "to");
  std::optional<std::string> device;
  if (info[2].IsString()) device = StringArgument(info, 2, "to");
  return RunOp(info, "to", [&] {
    Tensor result = x;
    if (device) result = result.to(torch::Device(*device));
    if (dtype) result = result.to(*dtype);
    return TensorResult(info.Env(), result);
  });
}

// pad(x, padding, value): constant padding, padding as in torch.nn.functional.pad (last dim first).
Napi::Value Pad(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "pad");
  auto padding = IntListArgument(info, 1, "pad");
  double value = NumberArgument(info, 2, "pad");
  return RunOp(info, "pad", [&] { return TensorResult(info.Env(), torch::constant_pad_nd(x, padding, value)); });
}

Napi::Value MaskedFill(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "maskedFill");
  Tensor& mask = TensorArgument(info, 1, "maskedFill");
  double value = NumberArgument(info, 2, "maskedFill");
  return RunOp(info, "maskedFill", [&] { return TensorResult(info.Env(), x.masked_fill(mask, value)); });
}

}  // namespace

void RegisterShapeOps(Napi::Env env, Napi::Object exports) {
  Register(env, exports, "reshape", Reshape);
  Register(env, exports, "view", View);
  Register(env, exports, "permute", Permute);
  Register(env, exports, "transpose", Transpose);
  Register(env, exports, "flatten", Flatten);
  Register(env, exports, "unsqueeze", Unsqueeze);
  Register(env, exports, "squeeze", Squeeze);
  Register(env, exports, "expand", Expand);
  Register(env, exports, "repeat", Repeat);
  Register(env, exports, "cat", Cat);
  Register(env, exports, "stack", Stack);
  Register(env, exports, "narrow", Narrow);
  Register(env, exports, "select", Select);
  Register(env, exports, "indexSelect", IndexSelect);
  Register(env, exports, "gather", Gather);
  Register(env, exports, "contiguous", Contiguous);
  Register(env, exports, "clone", Clone);
  Register(env, exports, "detach", Detach);
  Register(env, exports, "to", To);
  Register(env, exports, "pad", Pad);
  Register(env, exports, "maskedFill", MaskedFill);
}

}  // namespace residual_lab
