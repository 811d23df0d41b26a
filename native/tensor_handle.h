// The one handle type the addon gives to JavaScript: a JS object that owns a torch::Tensor.
#pragma once

#include <napi.h>
#include <torch/torch.h>

#include <atomic>
#include <cstdint>

namespace residual_lab {

class TensorHandle : public Napi::ObjectWrap<TensorHandle> {
 public:
  static Napi::Function Define(Napi::Env env);

  // Wraps a tensor in a new JS handle; the handle reports its bytes to V8 so that
  // garbage collection runs often enough when JS holds many large tensors.
  static Napi::Object Wrap(Napi::Env env, torch::Tensor tensor);

  // Returns the handle behind a JS value, or nullptr when the value is not a handle.
  static TensorHandle* Unwrap(Napi::Value value);

  explicit TensorHandle(const Napi::CallbackInfo& info);
  ~TensorHandle() override;

  bool disposed() const { return !tensor_.defined(); }
  torch::Tensor& tensor() { return tensor_; }

  // Frees the tensor now instead of at garbage collection.
  void Dispose();

  static int64_t LiveCount() { return live_count_.load(); }
  static int64_t LiveBytes() { return live_bytes_.load(); }

 private:
  void Attach(torch::Tensor tensor);

  torch::Tensor tensor_;
  int64_t reported_bytes_ = 0;

  static std::atomic<int64_t> live_count_;
  static std::atomic<int64_t> live_bytes_;
};

}  // namespace residual_lab
