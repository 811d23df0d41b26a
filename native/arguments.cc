#include "arguments.h"

#include <sstream>

namespace residual_lab {

namespace {

[[noreturn]] void ThrowType(const Napi::CallbackInfo& info, const char* op, size_t index,
                            const char* expected) {
  std::ostringstream message;
  message << op << ": argument " << index << " must be " << expected;
  throw Napi::TypeError::New(info.Env(), message.str());
}

torch::Tensor& TensorFromValue(const Napi::CallbackInfo& info, Napi::Value value, size_t index,
                               const char* op) {
  TensorHandle* handle = TensorHandle::Unwrap(value);
  if (handle == nullptr) ThrowType(info, op, index, "a tensor");
  if (handle->disposed()) {
    throw Napi::Error::New(info.Env(), std::string(op) + ": argument " + std::to_string(index) +
                                           " is a disposed tensor");
  }
  return handle->tensor();
}

}  // namespace

torch::Tensor& TensorArgument(const Napi::CallbackInfo& info, size_t index, const char* op) {
  return TensorFromValue(info, info[index], index, op);
}

std::optional<torch::Tensor> OptionalTensorArgument(const Napi::CallbackInfo& info, size_t index,
                                                    const char* op) {
  if (info[index].IsNull() || info[index].IsUndefined()) return std::nullopt;
  return TensorArgument(info, index, op);
}

std::vector<torch::Tensor> TensorListArgument(const Napi::CallbackInfo& info, size_t index,
                                              const char* op) {
  if (!info[index].IsArray()) ThrowType(info, op, index, "an array of tensors");
  Napi::Array array = info[index].As<Napi::Array>();
  std::vector<torch::Tensor> tensors;
  tensors.reserve(array.Length());
  for (uint32_t i = 0; i < array.Length(); ++i) {
    tensors.push_back(TensorFromValue(info, array.Get(i), index, op));
  }
  return tensors;
}

std::vector<int64_t> IntListArgument(const Napi::CallbackInfo& info, size_t index, const char* op) {
  if (!info[index].IsArray()) ThrowType(info, op, index, "an array of integers");
  Napi::Array array = info[index].As<Napi::Array>();
  std::vector<int64_t> values;
  values.reserve(array.Length());
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value item = array.Get(i);
    if (!item.IsNumber()) ThrowType(info, op, index, "an array of integers");
    values.push_back(item.As<Napi::Number>().Int64Value());
  }
  return values;
}

std::optional<std::vector<int64_t>> OptionalIntListArgument(const Napi::CallbackInfo& info,
                                                            size_t index, const char* op) {
  if (info[index].IsNull() || info[index].IsUndefined()) return std::nullopt;
  return IntListArgument(info, index, op);
}

double NumberArgument(const Napi::CallbackInfo& info, size_t index, const char* op) {
  if (!info[index].IsNumber()) ThrowType(info, op, index, "a number");
  return info[index].As<Napi::Number>().DoubleValue();
}

int64_t IntArgument(const Napi::CallbackInfo& info, size_t index, const char* op) {
  if (!info[index].IsNumber()) ThrowType(info, op, index, "an integer");
  return info[index].As<Napi::Number>().Int64Value();
}

bool BoolArgument(const Napi::CallbackInfo& info, size_t index, const char* op) {
  if (!info[index].IsBoolean()) ThrowType(info, op, index, "a boolean");
  return info[index].As<Napi::Boolean>().Value();
}

std::string StringArgument(const Napi::CallbackInfo& info, size_t index, const char* op) {
  if (!info[index].IsString()) ThrowType(info, op, index, "a string");
  return info[index].As<Napi::String>().Utf8Value();
}

torch::ScalarType DtypeArgument(const Napi::CallbackInfo& info, size_t index, const char* op) {
  std::string name = StringArgument(info, index, op);
  if (name == "float32") return torch::kFloat32;
  if (name == "float64") return torch::kFloat64;
  if (name == "int64") return torch::kInt64;
  if (name == "int32") return torch::kInt32;
  if (name == "uint8") return torch::kUInt8;
  if (name == "bool") return torch::kBool;
  if (name == "bfloat16") return torch::kBFloat16;
  throw Napi::TypeError::New(info.Env(), std::string(op) + ": unknown dtype '" + name +
                                             "', expected float32, float64, int64, int32, uint8, bool or bfloat16");
}

std::string DtypeName(torch::ScalarType dtype) {
  switch (dtype) {
    case torch::kFloat32: return "float32";
    case torch::kFloat64: return "float64";
    case torch::kInt64: return "int64";
    case torch::kInt32: return "int32";
    case torch::kUInt8: return "uint8";
    case torch::kBool: return "bool";
    case torch::kBFloat16: return "bfloat16";
    default: return c10::toString(dtype);
  }
}

std::string ShapeText(const torch::Tensor& tensor) {
  std::ostringstream text;
  text << "[";
  for (int64_t d = 0; d < tensor.dim(); ++d) text << (d > 0 ? ", " : "") << tensor.size(d);
  text << "]";
  return text.str();
}

Napi::Value TensorResult(Napi::Env env, torch::Tensor tensor) {
  if (!tensor.defined()) return env.Null();
  return TensorHandle::Wrap(env, std::move(tensor));
}

Napi::Value TensorListResult(Napi::Env env, const std::vector<torch::Tensor>& tensors) {
  Napi::Array array = Napi::Array::New(env, tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) array.Set(i, TensorResult(env, tensors[i]));
  return array;
}

std::string OpErrorMessage(const Napi::CallbackInfo& info, const char* op, const std::string& reason) {
  // libtorch reasons can span lines (call-site notes); the first line carries the cause.
  std::string first_line = reason.substr(0, reason.find('\n'));

  std::vector<std::string> shapes;
  for (size_t i = 0; i < info.Length(); ++i) {
    TensorHandle* handle = TensorHandle::Unwrap(info[i]);
    if (handle != nullptr && !handle->disposed()) shapes.push_back(ShapeText(handle->tensor()));
    if (info[i].IsArray()) {
      Napi::Array array = info[i].As<Napi::Array>();
      for (uint32_t j = 0; j < array.Length(); ++j) {
        TensorHandle* item = TensorHandle::Unwrap(array.Get(j));
        if (item != nullptr && !item->disposed()) shapes.push_back(ShapeText(item->tensor()));
      }
    }
  }

  std::ostringstream message;
  message << op << ": " << first_line;
  if (!shapes.empty()) {
    message << " (inputs: ";
    for (size_t i = 0; i < shapes.size(); ++i) message << (i > 0 ? ", " : "") << shapes[i];
    message << ")";
  }
  return message.str();
}

}  // namespace residual_lab
