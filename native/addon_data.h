// Per-environment state of the addon: the constructors it needs to make JS handles.
#pragma once

#include <napi.h>

namespace residual_lab {

struct AddonData {
  Napi::FunctionReference tensor_constructor;
  Napi::FunctionReference optimizer_constructor;

  static AddonData* Get(Napi::Env env) { return env.GetInstanceData<AddonData>(); }
};

}  // namespace residual_lab
