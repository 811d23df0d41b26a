#include "tensor_handle.h"

#include "addon_data.h"

namespace residual_lab {

std::atomic<int64_t> TensorHandle::live_count_{0};
std::atomic<int64_t> TensorHandle::live_bytes_{0};

Napi::Function TensorHandle::Define(Napi::Env env) {
  return DefineClass(env, "TensorHandle", {});
}

Napi::Object TensorHandle::Wrap(Napi::Env env, torch::Tensor tensor) {
  Napi::Object object = AddonData::Get(env)->tensor_constructor.New({});
  Unwrap(object)->Attach(std::move(tensor));
  return object;
}

TensorHandle* TensorHandle::Unwrap(Napi::Value value) {
  if (!value.IsObject()) return nullptr;
  Napi::Object object = value.As<Napi::Object>();
  Napi::Env env = value.Env();
  if (!object.InstanceOf(AddonData::Get(env)->tensor_constructor.Value())) return nullptr;
  return Napi::ObjectWrap<TensorHandle>::Unwrap(object);
}

TensorHandle::TensorHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<TensorHandle>(info) {}

TensorHandle::~TensorHandle() { Dispose(); }

void TensorHandle::Attach(torch::Tensor tensor) {
  tensor_ = std::move(tensor);
  if (!tensor_.defined()) return;
  reported_bytes_ = static_cast<int64_t>(tensor_.nbytes());
  live_count_ += 1;
  live_bytes_ += reported_bytes_;
  if (reported_bytes_ > 0) Napi::MemoryManagement::AdjustExternalMemory(Env(), reported_bytes_);
}

void TensorHandle::Dispose() {
  if (disposed()) return;
  tensor_.reset();
  live_count_ -= 1;
  live_bytes_ -= reported_bytes_;
  if (reported_bytes_ > 0) Napi::MemoryManagement::AdjustExternalMemory(Env(), -reported_bytes_);
  reported_bytes_ = 0;
}

}  // namespace residual_lab
