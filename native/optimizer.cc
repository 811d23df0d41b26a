// SGD, Adam and AdamW from libtorch behind one JS handle. A training step is one native call
// (optimizerStep) however many parameters the model has. It runs the fused loops of
// fused_step.cc unless the optimizer was made with fused: false. Learning rate and momentum can
// change before any step (one-cycle schedules change them every batch).
#include "addon_data.h"
#include "arguments.h"
#include "fused_step.h"
#include "registry.h"

namespace residual_lab {

namespace {

class OptimizerHandle : public Napi::ObjectWrap<OptimizerHandle> {
 public:
  static Napi::Function Define(Napi::Env env) { return DefineClass(env, "OptimizerHandle", {}); }
  explicit OptimizerHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<OptimizerHandle>(info) {}

  std::string kind;
  bool fused = true;
  std::unique_ptr<torch::optim::Optimizer> optimizer;
};

OptimizerHandle* OptimizerArgument(const Napi::CallbackInfo& info, const char* op) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject() || !info[0].As<Napi::Object>().InstanceOf(AddonData::Get(env)->optimizer_constructor.Value())) {
    throw Napi::TypeError::New(env, std::string(op) + ": argument 0 must be an optimizer");
  }
  return Napi::ObjectWrap<OptimizerHandle>::Unwrap(info[0].As<Napi::Object>());
}

double OptionNumber(Napi::Object options, const char* key, double fallback) {
  Napi::Value value = options.Get(key);
  return value.IsNumber() ? value.As<Napi::Number>().DoubleValue() : fallback;
}

bool OptionBool(Napi::Object options, const char* key, bool fallback) {
  Napi::Value value = options.Get(key);
  return value.IsBoolean() ? value.As<Napi::Boolean>().Value() : fallback;
}

// Builds the options of one parameter group from the shared options and the group's weight decay.
std::unique_ptr<torch::optim::OptimizerOptions> GroupOptions(const std::string& kind, Napi::Object options, double weight_decay) {
  double lr = OptionNumber(options, "lr", 1e-3);
  if (kind == "sgd") {
    return std::make_unique<torch::optim::SGDOptions>(torch::optim::SGDOptions(lr)
                                                          .momentum(OptionNumber(options, "momentum", 0))
                                                          .dampening(OptionNumber(options, "dampening", 0))
                                                          .nesterov(OptionBool(options, "nesterov", false))
                                                          .weight_decay(weight_decay));
  }
  auto betas = std::make_tuple(OptionNumber(options, "beta1", 0.9), OptionNumber(options, "beta2", 0.999));
  double eps = OptionNumber(options, "eps", 1e-8);
  if (kind == "adam") {
    return std::make_unique<torch::optim::AdamOptions>(torch::optim::AdamOptions(lr).betas(betas).eps(eps).weight_decay(weight_decay));
  }
  return std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(lr).betas(betas).eps(eps).weight_decay(weight_decay));
}

// optimizerCreate(kind, groups: {params: Tensor[], weightDecay: number}[], options)
Napi::Value OptimizerCreate(const Napi::CallbackInfo& info) {
  const char* op = "optimizerCreate";
  Napi::Env env = info.Env();
  std::string kind = StringArgument(info, 0, op);
  if (kind != "sgd" && kind != "adam" && kind != "adamw") {
    throw Napi::TypeError::New(env, "optimizerCreate: kind must be 'sgd', 'adam' or 'adamw', got '" + kind + "'");
  }
  if (!info[1].IsArray() || !info[2].IsObject()) {
    throw Napi::TypeError::New(env, "optimizerCreate: expected (kind, groups[], options)");
  }
  Napi::Array groups = info[1].As<Napi::Array>();
  Napi::Object options = info[2].As<Napi::Object>();

  std::vector<torch::optim::OptimizerParamGroup> param_groups;
  for (uint32_t g = 0; g < groups.Length(); ++g) {
    Napi::Value group_value = groups.Get(g);
    if (!group_value.IsObject()) throw Napi::TypeError::New(env, "optimizerCreate: each group must be an object");
    Napi::Object group = group_value.As<Napi::Object>();
    Napi::Value params = group.Get("params");
    if (!params.IsArray()) throw Napi::TypeError::New(env, "optimizerCreate: group.params must be an array of tensors");

    std::vector<torch::Tensor> tensors;
    Napi::Array param_array = params.As<Napi::Array>();
    for (uint32_t i = 0; i < param_array.Length(); ++i) {
      TensorHandle* handle = TensorHandle::Unwrap(param_array.Get(i));
      if (handle == nullptr || handle->disposed()) throw Napi::TypeError::New(env, "optimizerCreate: group.params must hold live tensors");
      tensors.push_back(handle->tensor());
    }
    double weight_decay = OptionNumber(group, "weightDecay", 0);
    param_groups.emplace_back(tensors, GroupOptions(kind, options, weight_decay));
  }

  return RunOp(info, op, [&]() -> Napi::Value {
    Napi::Object object = AddonData::Get(env)->optimizer_constructor.New({});
    OptimizerHandle* handle = Napi::ObjectWrap<OptimizerHandle>::Unwrap(object);
    handle->kind = kind;
    handle->fused = OptionBool(options, "fused", true);
    double lr = OptionNumber(options, "lr", 1e-3);
    if (kind == "sgd") handle->optimizer = std::make_unique<torch::optim::SGD>(param_groups, torch::optim::SGDOptions(lr));
    if (kind == "adam") handle->optimizer = std::make_unique<torch::optim::Adam>(param_groups, torch::optim::AdamOptions(lr));
    if (kind == "adamw") handle->optimizer = std::make_unique<torch::optim::AdamW>(param_groups, torch::optim::AdamWOptions(lr));
    return object;
  });
}

// optimizerStep(optimizer) -> whether the fused loops ran it.
Napi::Value OptimizerStep(const Napi::CallbackInfo& info) {
  OptimizerHandle* handle = OptimizerArgument(info, "optimizerStep");
  return RunOp(info, "optimizerStep", [&] {
    bool fused = handle->fused && FusedStep(handle->kind, *handle->optimizer);
    if (!fused) handle->optimizer->step();
    return Napi::Boolean::New(info.Env(), fused);
  });
}

// optimizerZeroGrad(optimizer): drops the gradients (as set_to_none=True), so the next backward
// writes them fresh instead of adding to zeros.
Napi::Value OptimizerZeroGrad(const Napi::CallbackInfo& info) {
  OptimizerHandle* handle = OptimizerArgument(info, "optimizerZeroGrad");
  for (auto& group : handle->optimizer->param_groups()) {
    for (auto& parameter : group.params()) parameter.mutable_grad().reset();
  }
  return info.Env().Undefined();
}

// optimizerSetHyperparameters(optimizer, lr | null, momentum | null): momentum is SGD's
// momentum or Adam's beta1, as fastai treats them.
Napi::Value OptimizerSetHyperparameters(const Napi::CallbackInfo& info) {
  const char* op = "optimizerSetHyperparameters";
  OptimizerHandle* handle = OptimizerArgument(info, op);
  std::optional<double> lr, momentum;
  if (info[1].IsNumber()) lr = NumberArgument(info, 1, op);
  if (info[2].IsNumber()) momentum = NumberArgument(info, 2, op);

  for (auto& group : handle->optimizer->param_groups()) {
    if (lr) group.options().set_lr(*lr);
    if (!momentum) continue;
    if (handle->kind == "sgd") static_cast<torch::optim::SGDOptions&>(group.options()).momentum(*momentum);
    if (handle->kind == "adam") {
      auto& options = static_cast<torch::optim::AdamOptions&>(group.options());
      options.betas(std::make_tuple(*momentum, std::get<1>(options.betas())));
    }
    if (handle->kind == "adamw") {
      auto& options = static_cast<torch::optim::AdamWOptions&>(group.options());
      options.betas(std::make_tuple(*momentum, std::get<1>(options.betas())));
    }
  }
  return info.Env().Undefined();
}

// optimizerState(optimizer): per parameter, in group order, {step, buffers: {name: Tensor}} or
// null where no step has run yet. Used for checkpoints.
Napi::Value OptimizerState(const Napi::CallbackInfo& info) {
  OptimizerHandle* handle = OptimizerArgument(info, "optimizerState");
  Napi::Env env = info.Env();
  auto& state = handle->optimizer->state();
  Napi::Array result = Napi::Array::New(env);
  uint32_t index = 0;
  for (auto& group : handle->optimizer->param_groups()) {
    for (auto& parameter : group.params()) {
      auto found = state.find(c10::guts::to_string(parameter.unsafeGetTensorImpl()));
      if (found == state.end()) {
        result.Set(index++, env.Null());
        continue;
      }
      Napi::Object entry = Napi::Object::New(env);
      Napi::Object buffers = Napi::Object::New(env);
      if (handle->kind == "sgd") {
        auto& s = static_cast<torch::optim::SGDParamState&>(*found->second);
        entry.Set("step", env.Null());
        buffers.Set("momentum_buffer", TensorResult(env, s.momentum_buffer().clone()));
      } else if (handle->kind == "adam") {
        auto& s = static_cast<torch::optim::AdamParamState&>(*found->second);
        entry.Set("step", Napi::Number::New(env, static_cast<double>(s.step())));
        buffers.Set("exp_avg", TensorResult(env, s.exp_avg().clone()));
        buffers.Set("exp_avg_sq", TensorResult(env, s.exp_avg_sq().clone()));
      } else {
        auto& s = static_cast<torch::optim::AdamWParamState&>(*found->second);
        entry.Set("step", Napi::Number::New(env, static_cast<double>(s.step())));
        buffers.Set("exp_avg", TensorResult(env, s.exp_avg().clone()));
        buffers.Set("exp_avg_sq", TensorResult(env, s.exp_avg_sq().clone()));
      }
      entry.Set("buffers", buffers);
      result.Set(index++, entry);
    }
  }
  return result;
}

// optimizerLoadState(optimizer, entries): the inverse of optimizerState.
Napi::Value OptimizerLoadState(const Napi::CallbackInfo& info) {
  const char* op = "optimizerLoadState";
  OptimizerHandle* handle = OptimizerArgument(info, op);
  Napi::Env env = info.Env();
  if (!info[1].IsArray()) throw Napi::TypeError::New(env, "optimizerLoadState: entries must be an array");
  Napi::Array entries = info[1].As<Napi::Array>();

  // Each buffer takes its parameter's layout (a checkpoint stores it contiguous, a channels_last
  // weight is not), so that the fused loops can walk both in one order.
  auto buffer = [&](Napi::Object buffers, const char* name, const torch::Tensor& parameter) -> torch::Tensor {
    TensorHandle* tensor = TensorHandle::Unwrap(buffers.Get(name));
    if (tensor == nullptr || tensor->disposed()) throw Napi::TypeError::New(env, std::string(op) + ": missing buffer " + name);
    const torch::Tensor& stored = tensor->tensor();
    if (stored.sizes() != parameter.sizes()) {
      throw Napi::RangeError::New(env, std::string(op) + ": buffer " + name + " has shape " + ShapeText(stored) + ", its parameter " +
                                           ShapeText(parameter));
    }
    return torch::empty_like(parameter, stored.options(), torch::MemoryFormat::Preserve).copy_(stored);
  };

  return RunOp(info, op, [&] {
    // Every entry is read and checked before any state changes, so a rejected load leaves the
    // optimizer as it was.
    std::vector<std::pair<std::string, std::unique_ptr<torch::optim::OptimizerParamState>>> loaded;
    uint32_t index = 0;
    for (auto& group : handle->optimizer->param_groups()) {
      for (auto& parameter : group.params()) {
        if (index >= entries.Length()) throw Napi::RangeError::New(env, "optimizerLoadState: fewer entries than parameters");
        Napi::Value entry_value = entries.Get(index++);
        std::string key = c10::guts::to_string(parameter.unsafeGetTensorImpl());
        if (!entry_value.IsObject()) {
          loaded.emplace_back(key, nullptr);
          continue;
        }
        Napi::Object entry = entry_value.As<Napi::Object>();
        Napi::Object buffers = entry.Get("buffers").As<Napi::Object>();
        int64_t step = entry.Get("step").IsNumber() ? entry.Get("step").As<Napi::Number>().Int64Value() : 0;
        if (handle->kind == "sgd") {
          auto s = std::make_unique<torch::optim::SGDParamState>();
          s->momentum_buffer(buffer(buffers, "momentum_buffer", parameter));
          loaded.emplace_back(key, std::move(s));
        } else if (handle->kind == "adam") {
          auto s = std::make_unique<torch::optim::AdamParamState>();
          s->step(step).exp_avg(buffer(buffers, "exp_avg", parameter)).exp_avg_sq(buffer(buffers, "exp_avg_sq", parameter));
          loaded.emplace_back(key, std::move(s));
        } else {
          auto s = std::make_unique<torch::optim::AdamWParamState>();
          s->step(step).exp_avg(buffer(buffers, "exp_avg", parameter)).exp_avg_sq(buffer(buffers, "exp_avg_sq", parameter));
          loaded.emplace_back(key, std::move(s));
        }
      }
    }
    if (index != entries.Length()) throw Napi::RangeError::New(env, "optimizerLoadState: more entries than parameters");

    auto& state = handle->optimizer->state();
    for (auto& [key, entry_state] : loaded) {
      if (entry_state == nullptr) {
        state.erase(key);
      } else {
        state[key] = std::move(entry_state);
      }
    }
    return env.Undefined();
  });
}

}  // namespace

Napi::Function DefineOptimizerHandle(Napi::Env env) { return OptimizerHandle::Define(env); }

void RegisterOptimizers(Napi::Env env, Napi::Object exports) {
  Register(env, exports, "optimizerCreate", OptimizerCreate);
  Register(env, exports, "optimizerStep", OptimizerStep);
  Register(env, exports, "optimizerZeroGrad", OptimizerZeroGrad);
  Register(env, exports, "optimizerSetHyperparameters", OptimizerSetHyperparameters);
  Register(env, exports, "optimizerState", OptimizerState);
  Register(env, exports, "optimizerLoadState", OptimizerLoadState);
}

}  // namespace residual_lab
