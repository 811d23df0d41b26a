// Entry point of the residual-lab addon: defines the handle classes and registers every function.
#include <malloc.h>

#include "addon_data.h"
#include "registry.h"
#include "tensor_handle.h"

namespace residual_lab {

Napi::Function DefineOptimizerHandle(Napi::Env env);

Napi::Object Init(Napi::Env env, Napi::Object exports) {
#ifdef __GLIBC__
  // glibc raises its mmap threshold each time a large block is freed, after which activations
  // come from the heap, and in this process the heap then grows by about one activation per
  // training step (ResNet-18, batch 256: 589 -> 1087 MiB over 40 steps). A fixed threshold
  // keeps large tensors in their own mappings, returned to the system when freed.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif

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
