// Tensors in and out of JavaScript: creation, conversion to and from TypedArrays, metadata and
// the in-place writes that parameter initialisation needs.
#include "arguments.h"
#include "registry.h"

namespace residual_lab {

namespace {

// Checks that a TypedArray's element type fits the dtype it is read as.
bool TypedArrayFits(napi_typedarray_type array_type, torch::ScalarType dtype) {
  switch (dtype) {
    case torch::kFloat32: return array_type == napi_float32_array;
    case torch::kFloat64: return array_type == napi_float64_array;
    case torch::kInt64: return array_type == napi_bigint64_array;
    case torch::kInt32: return array_type == napi_int32_array;
    case torch::kUInt8:
    case torch::kBool: return array_type == napi_uint8_array;
    default: return false;
  }
}

// fromTypedArray(data, shape, dtype): copies the data into a new tensor.
Napi::Value FromTypedArray(const Napi::CallbackInfo& info) {
  const char* op = "fromTypedArray";
  if (!info[0].IsTypedArray()) throw Napi::TypeError::New(info.Env(), "fromTypedArray: data must be a TypedArray");
  Napi::TypedArray data = info[0].As<Napi::TypedArray>();
  std::vector<int64_t> shape = IntListArgument(info, 1, op);
  torch::ScalarType dtype = DtypeArgument(info, 2, op);

  if (!TypedArrayFits(data.TypedArrayType(), dtype)) {
    throw Napi::TypeError::New(info.Env(), "fromTypedArray: TypedArray type does not match dtype " + DtypeName(dtype));
  }
  int64_t expected = 1;
  for (int64_t size : shape) {
    if (size < 0) throw Napi::RangeError::New(info.Env(), "fromTypedArray: negative size in shape");
    expected *= size;
  }
  if (static_cast<int64_t>(data.ElementLength()) != expected) {
    throw Napi::RangeError::New(info.Env(), "fromTypedArray: shape holds " + std::to_string(expected) +
                                                " elements, data has " + std::to_string(data.ElementLength()));
  }

  return RunOp(info, op, [&] {
    uint8_t* bytes = static_cast<uint8_t*>(data.ArrayBuffer().Data()) + data.ByteOffset();
    torch::Tensor view = torch::from_blob(bytes, shape, torch::TensorOptions().dtype(dtype));
    return TensorResult(info.Env(), view.clone());
  });
}

// toTypedArray(tensor): copies the tensor's values into a new TypedArray (bfloat16 as float32).
Napi::Value ToTypedArray(const Napi::CallbackInfo& info) {
  const char* op = "toTypedArray";
  torch::Tensor tensor = TensorArgument(info, 0, op);
  return RunOp(info, op, [&]() -> Napi::Value {
    torch::Tensor host = tensor.detach().to(torch::kCPU);
    if (host.scalar_type() == torch::kBFloat16 || host.scalar_type() == torch::kFloat16) host = host.to(torch::kFloat32);
    host = host.contiguous();
    size_t bytes = host.nbytes();
    Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(info.Env(), bytes);
    if (bytes > 0) std::memcpy(buffer.Data(), host.data_ptr(), bytes);
    size_t count = static_cast<size_t>(host.numel());
    switch (host.scalar_type()) {
      case torch::kFloat32: return Napi::Float32Array::New(info.Env(), count, buffer, 0);
      case torch::kFloat64: return Napi::Float64Array::New(info.Env(), count, buffer, 0);
      case torch::kInt64: return Napi::BigInt64Array::New(info.Env(), count, buffer, 0);
      case torch::kInt32: return Napi::Int32Array::New(info.Env(), count, buffer, 0);
      case torch::kUInt8:
      case torch::kBool: return Napi::Uint8Array::New(info.Env(), count, buffer, 0);
      default: throw Napi::TypeError::New(info.Env(), "toTypedArray: unsupported dtype " + DtypeName(host.scalar_type()));
    }
  });
}

torch::TensorOptions Options(const Napi::CallbackInfo& info, size_t index, const char* op) {
  return torch::TensorOptions().dtype(DtypeArgument(info, index, op));
}

Napi::Value Zeros(const Napi::CallbackInfo& info) {
  return RunOp(info, "zeros", [&] { return TensorResult(info.Env(), torch::zeros(IntListArgument(info, 0, "zeros"), Options(info, 1, "zeros"))); });
}

Napi::Value Ones(const Napi::CallbackInfo& info) {
  return RunOp(info, "ones", [&] { return TensorResult(info.Env(), torch::ones(IntListArgument(info, 0, "ones"), Options(info, 1, "ones"))); });
}

Napi::Value Full(const Napi::CallbackInfo& info) {
  return RunOp(info, "full", [&] {
    return TensorResult(info.Env(), torch::full(IntListArgument(info, 0, "full"), NumberArgument(info, 1, "full"), Options(info, 2, "full")));
  });
}

// randn, rand and randint draw from libtorch's default generator, seeded by manualSeed.
Napi::Value Randn(const Napi::CallbackInfo& info) {
  return RunOp(info, "randn", [&] { return TensorResult(info.Env(), torch::randn(IntListArgument(info, 0, "randn"), Options(info, 1, "randn"))); });
}

Napi::Value Rand(const Napi::CallbackInfo& info) {
  return RunOp(info, "rand", [&] { return TensorResult(info.Env(), torch::rand(IntListArgument(info, 0, "rand"), Options(info, 1, "rand"))); });
}

Napi::Value Randint(const Napi::CallbackInfo& info) {
  const char* op = "randint";
  return RunOp(info, op, [&] {
    return TensorResult(info.Env(), torch::randint(IntArgument(info, 0, op), IntArgument(info, 1, op), IntListArgument(info, 2, op),
                                                   torch::TensorOptions().dtype(torch::kInt64)));
  });
}

Napi::Value Randperm(const Napi::CallbackInfo& info) {
  return RunOp(info, "randperm", [&] { return TensorResult(info.Env(), torch::randperm(IntArgument(info, 0, "randperm"), torch::kInt64)); });
}

Napi::Value Arange(const Napi::CallbackInfo& info) {
  const char* op = "arange";
  return RunOp(info, op, [&] {
    return TensorResult(info.Env(), torch::arange(NumberArgument(info, 0, op), NumberArgument(info, 1, op), NumberArgument(info, 2, op),
                                                  Options(info, 3, op)));
  });
}

Napi::Value Linspace(const Napi::CallbackInfo& info) {
  const char* op = "linspace";
  return RunOp(info, op, [&] {
    return TensorResult(info.Env(), torch::linspace(NumberArgument(info, 0, op), NumberArgument(info, 1, op), IntArgument(info, 2, op),
                                                    Options(info, 3, op)));
  });
}

Napi::Value Eye(const Napi::CallbackInfo& info) {
  return RunOp(info, "eye", [&] { return TensorResult(info.Env(), torch::eye(IntArgument(info, 0, "eye"), Options(info, 1, "eye"))); });
}

Napi::Value Shape(const Napi::CallbackInfo& info) {
  torch::Tensor& tensor = TensorArgument(info, 0, "shape");
  Napi::Array shape = Napi::Array::New(info.Env(), tensor.dim());
  for (int64_t d = 0; d < tensor.dim(); ++d) shape.Set(static_cast<uint32_t>(d), Napi::Number::New(info.Env(), static_cast<double>(tensor.size(d))));
  return shape;
}

Napi::Value Dtype(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), DtypeName(TensorArgument(info, 0, "dtype").scalar_type()));
}

Napi::Value Device(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), TensorArgument(info, 0, "device").device().str());
}

Napi::Value IsContiguous(const Napi::CallbackInfo& info) {
  torch::Tensor& tensor = TensorArgument(info, 0, "isContiguous");
  bool channels_last = StringArgument(info, 1, "isContiguous") == "channels_last";
  return Napi::Boolean::New(info.Env(), tensor.is_contiguous(channels_last ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous));
}

Napi::Value Item(const Napi::CallbackInfo& info) {
  torch::Tensor& tensor = TensorArgument(info, 0, "item");
  return RunOp(info, "item", [&] { return Napi::Number::New(info.Env(), tensor.item<double>()); });
}

Napi::Value Dispose(const Napi::CallbackInfo& info) {
  TensorHandle* handle = TensorHandle::Unwrap(info[0]);
  if (handle == nullptr) throw Napi::TypeError::New(info.Env(), "dispose: argument 0 must be a tensor");
  handle->Dispose();
  return info.Env().Undefined();
}

Napi::Value IsDisposed(const Napi::CallbackInfo& info) {
  TensorHandle* handle = TensorHandle::Unwrap(info[0]);
  if (handle == nullptr) throw Napi::TypeError::New(info.Env(), "isDisposed: argument 0 must be a tensor");
  return Napi::Boolean::New(info.Env(), handle->disposed());
}

Napi::Value LiveTensors(const Napi::CallbackInfo& info) {
  Napi::Object result = Napi::Object::New(info.Env());
  result.Set("count", Napi::Number::New(info.Env(), static_cast<double>(TensorHandle::LiveCount())));
  result.Set("bytes", Napi::Number::New(info.Env(), static_cast<double>(TensorHandle::LiveBytes())));
  return result;
}

// The in-place writes below run under NoGradGuard: they initialise or overwrite parameters,
// which autograd must not record.
Napi::Value Fill(const Napi::CallbackInfo& info) {
  torch::Tensor& tensor = TensorArgument(info, 0, "fill_");
  double value = NumberArgument(info, 1, "fill_");
  return RunOp(info, "fill_", [&] {
    torch::NoGradGuard no_grad;
    tensor.fill_(value);
    return info.Env().Undefined();
  });
}

Napi::Value Normal(const Napi::CallbackInfo& info) {
  torch::Tensor& tensor = TensorArgument(info, 0, "normal_");
  double mean = NumberArgument(info, 1, "normal_");
  double std = NumberArgument(info, 2, "normal_");
  return RunOp(info, "normal_", [&] {
    torch::NoGradGuard no_grad;
    tensor.normal_(mean, std);
    return info.Env().Undefined();
  });
}

Napi::Value Uniform(const Napi::CallbackInfo& info) {
  torch::Tensor& tensor = TensorArgument(info, 0, "uniform_");
  double low = NumberArgument(info, 1, "uniform_");
  double high = NumberArgument(info, 2, "uniform_");
  return RunOp(info, "uniform_", [&] {
    torch::NoGradGuard no_grad;
    tensor.uniform_(low, high);
    return info.Env().Undefined();
  });
}

Napi::Value Copy(const Napi::CallbackInfo& info) {
  torch::Tensor& target = TensorArgument(info, 0, "copy_");
  torch::Tensor& source = TensorArgument(info, 1, "copy_");
  return RunOp(info, "copy_", [&] {
    torch::NoGradGuard no_grad;
    target.copy_(source);
    return info.Env().Undefined();
  });
}

// addInPlace(target, other, alpha): target += alpha * other, unrecorded (weight perturbations).
Napi::Value AddInPlace(const Napi::CallbackInfo& info) {
  torch::Tensor& target = TensorArgument(info, 0, "add_");
  torch::Tensor& other = TensorArgument(info, 1, "add_");
  double alpha = NumberArgument(info, 2, "add_");
  return RunOp(info, "add_", [&] {
    torch::NoGradGuard no_grad;
    target.add_(other, alpha);
    return info.Env().Undefined();
  });
}

// setData(tensor, source): swaps the storage behind a tensor while keeping its identity, so a
// parameter can change memory format or device without the optimizer losing track of it.
Napi::Value SetData(const Napi::CallbackInfo& info) {
  torch::Tensor& target = TensorArgument(info, 0, "setData");
  torch::Tensor& source = TensorArgument(info, 1, "setData");
  return RunOp(info, "setData", [&] {
    target.set_data(source);
    return info.Env().Undefined();
  });
}

}  // namespace

void RegisterTensorOps(Napi::Env env, Napi::Object exports) {
  Register(env, exports, "fromTypedArray", FromTypedArray);
  Register(env, exports, "toTypedArray", ToTypedArray);
  Register(env, exports, "zeros", Zeros);
  Register(env, exports, "ones", Ones);
  Register(env, exports, "full", Full);
  Register(env, exports, "randn", Randn);
  Register(env, exports, "rand", Rand);
  Register(env, exports, "randint", Randint);
  Register(env, exports, "randperm", Randperm);
  Register(env, exports, "arange", Arange);
  Register(env, exports, "linspace", Linspace);
  Register(env, exports, "eye", Eye);
  Register(env, exports, "shape", Shape);
  Register(env, exports, "dtype", Dtype);
  Register(env, exports, "device", Device);
  Register(env, exports, "isContiguous", IsContiguous);
  Register(env, exports, "item", Item);
  Register(env, exports, "dispose", Dispose);
  Register(env, exports, "isDisposed", IsDisposed);
  Register(env, exports, "liveTensors", LiveTensors);
  Register(env, exports, "fill_", Fill);
  Register(env, exports, "normal_", Normal);
  Register(env, exports, "uniform_", Uniform);
  Register(env, exports, "copy_", Copy);
  Register(env, exports, "add_", AddInPlace);
  Register(env, exports, "setData", SetData);
}

}  // namespace residual_lab
