// Entry point of the residual-lab addon: defines the handle classes and registers every function.
#include "addon_data.h"
#include "registry.h"
#include "tensor_handle.h"

namespace residual_lab {

Napi::Function DefineOptimizerHandle(Napi::Env env);

Napi::Object Init(Napi::Env env, Napi::Object exports) {

  // Node owns the instance data from here on and deletes it when the environment ends.
  auto* data = new AddonData();
  data->tensor_constructor = Napi::Persistent(TensorHandle::Define(env));
  data->optimizer_constructor = Napi::Persistent(DefineOptimizerHandle(env));
  env.SetInstanceData(data);

  RegisterTensorOps(env, exports);
  RegisterMathOps(env, exports);
  RegisterShapeOps(env, exports);
  RegisterNeuralOps(env, exports);
  RegisterAutograd(env, exports);
  RegisterOptimizers(env, exports);
  RegisterRuntime(env, exports);
  return exports;
}

}  // namespace residual_lab

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return residual_lab::Init(env, exports); }

NODE_API_MODULE(residual_lab, InitAddon)
