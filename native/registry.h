// How each source file adds its functions to the addon's exports.
#pragma once

#include <napi.h>

namespace residual_lab {

inline void Register(Napi::Env env, Napi::Object exports, const char* name, Napi::Function::Callback callback,
                     void* data = nullptr) {
  exports.Set(name, Napi::Function::New(env, callback, name, data));
}

void RegisterTensorOps(Napi::Env env, Napi::Object exports);
void RegisterMathOps(Napi::Env env, Napi::Object exports);
void RegisterShapeOps(Napi::Env env, Napi::Object exports);
void RegisterNeuralOps(Napi::Env env, Napi::Object exports);
void RegisterAutograd(Napi::Env env, Napi::Object exports);
void RegisterOptimizers(Napi::Env env, Napi::Object exports);
void RegisterRuntime(Napi::Env env, Napi::Object exports);

}  // namespace residual_lab
