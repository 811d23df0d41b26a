// Reading JS arguments into libtorch types, and turning libtorch failures into JS errors.
// The TypeScript layer validates arguments first; these checks are the last line that keeps
// a wrong call from crashing the process.
#pragma once

#include <napi.h>
#include <torch/torch.h>

#include <optional>
#include <string>
#include <vector>

#include "tensor_handle.h"

namespace residual_lab {

torch::Tensor& TensorArgument(const Napi::CallbackInfo& info, size_t index, const char* op);
std::optional<torch::Tensor> OptionalTensorArgument(const Napi::CallbackInfo& info, size_t index,
                                                    const char* op);
std::vector<torch::Tensor> TensorListArgument(const Napi::CallbackInfo& info, size_t index,
                                              const char* op);
std::vector<int64_t> IntListArgument(const Napi::CallbackInfo& info, size_t index, const char* op);
std::optional<std::vector<int64_t>> OptionalIntListArgument(const Napi::CallbackInfo& info,
                                                            size_t index, const char* op);
double NumberArgument(const Napi::CallbackInfo& info, size_t index, const char* op);
int64_t IntArgument(const Napi::CallbackInfo& info, size_t index, const char* op);
bool BoolArgument(const Napi::CallbackInfo& info, size_t index, const char* op);
std::string StringArgument(const Napi::CallbackInfo& info, size_t index, const char* op);
torch::ScalarType DtypeArgument(const Napi::CallbackInfo& info, size_t index, const char* op);

std::string DtypeName(torch::ScalarType dtype);
std::string ShapeText(const torch::Tensor& tensor);

Napi::Value TensorResult(Napi::Env env, torch::Tensor tensor);
Napi::Value TensorListResult(Napi::Env env, const std::vector<torch::Tensor>& tensors);

// Builds the message of a failed op: its name, libtorch's reason and the shapes of every tensor
// argument, e.g. "conv2d: expected input[32, 3, 28, 28] to have 1 channels (inputs: [32, 3, 28, 28], [64, 1, 7, 7])".
std::string OpErrorMessage(const Napi::CallbackInfo& info, const char* op, const std::string& reason);

// Runs one op body, turning a libtorch exception into a JS Error that names the op and shapes.
template <typename Body>
Napi::Value RunOp(const Napi::CallbackInfo& info, const char* op, Body&& body) {
  try {
    return body();
  } catch (const Napi::Error&) {
    throw;
  } catch (const c10::Error& error) {
    throw Napi::Error::New(info.Env(), OpErrorMessage(info, op, error.what_without_backtrace()));
  } catch (const std::exception& error) {
    throw Napi::Error::New(info.Env(), OpErrorMessage(info, op, error.what()));
  }
}

}  // namespace residual_lab
