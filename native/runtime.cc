// Process-wide settings and facts: seeding, threads, versions, CPU capability, memory counters.
#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <torch/version.h>

#include <limits>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "arguments.h"
#include "registry.h"

namespace residual_lab {

namespace {

// manualSeed(seed): seeds libtorch's default CPU (and CUDA, where present) generators.
Napi::Value ManualSeed(const Napi::CallbackInfo& info) {
  int64_t seed = IntArgument(info, 0, "manualSeed");
  torch::manual_seed(static_cast<uint64_t>(seed));
  return info.Env().Undefined();
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  int64_t threads = IntArgument(info, 0, "setNumThreads");
  if (threads < 1) throw Napi::RangeError::New(info.Env(), "setNumThreads: thread count must be at least 1, got " + std::to_string(threads));
  at::set_num_threads(static_cast<int>(threads));
  return info.Env().Undefined();
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::get_num_threads());
}

// The kernel set libtorch dispatches to on this CPU. libtorch 1.13 does not export
// get_cpu_capability, so this reads the "CPU capability usage: AVX2" line of show_config.
std::string CpuCapabilityName() {
  const std::string config = at::show_config();
  const std::string key = "CPU capability usage: ";
  size_t start = config.find(key);
  if (start == std::string::npos) return "unknown";
  start += key.size();
  return config.substr(start, config.find('\n', start) - start);
}

// runtimeInfo(): libtorch's version, build configuration and the kernels it dispatches to here.
Napi::Value RuntimeInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object result = Napi::Object::New(env);
  result.Set("libtorchVersion", Napi::String::New(env, TORCH_VERSION));
  result.Set("cpuCapability", Napi::String::New(env, CpuCapabilityName()));
  result.Set("threads", Napi::Number::New(env, at::get_num_threads()));
  result.Set("parallelInfo", Napi::String::New(env, at::get_parallel_info()));
  result.Set("buildConfig", Napi::String::New(env, at::show_config()));
  result.Set("cudaAvailable", Napi::Boolean::New(env, torch::cuda::is_available()));
  result.Set("cudaDevices", Napi::Number::New(env, static_cast<double>(torch::cuda::device_count())));
  return result;
}

// keepLargeBlocksOnHeap(mmapThresholdBytes, trimThresholdBytes) -> whether the allocator took
// the settings. glibc serves blocks above its mmap threshold (at first 128 KiB, raised as
// blocks are freed) with fresh pages from the kernel. Every training step allocates and frees
// gradient and workspace tensors of megabytes, and each new page costs a fault and a zeroing.
// A high threshold keeps those blocks in the heap for reuse; a high trim threshold keeps the
// heap from being handed back between steps.
Napi::Value KeepLargeBlocksOnHeap(const Napi::CallbackInfo& info) {
  int64_t mmap_threshold = IntArgument(info, 0, "keepLargeBlocksOnHeap");
  int64_t trim_threshold = IntArgument(info, 1, "keepLargeBlocksOnHeap");
  const int64_t largest = std::numeric_limits<int>::max();
  if (mmap_threshold < 0 || mmap_threshold > largest || trim_threshold < 0 || trim_threshold > largest) {
    throw Napi::RangeError::New(info.Env(), "keepLargeBlocksOnHeap: thresholds must be between 0 and " + std::to_string(largest) + " bytes");
  }
#if defined(__GLIBC__)
  bool applied = mallopt(M_MMAP_THRESHOLD, static_cast<int>(mmap_threshold)) == 1 &&
                 mallopt(M_TRIM_THRESHOLD, static_cast<int>(trim_threshold)) == 1;
  return Napi::Boolean::New(info.Env(), applied);
#else
  return Napi::Boolean::New(info.Env(), false);
#endif
}

}  // namespace

void RegisterRuntime(Napi::Env env, Napi::Object exports) {
  Register(env, exports, "manualSeed", ManualSeed);
  Register(env, exports, "setNumThreads", SetNumThreads);
  Register(env, exports, "getNumThreads", GetNumThreads);
  Register(env, exports, "runtimeInfo", RuntimeInfo);
  Register(env, exports, "keepLargeBlocksOnHeap", KeepLargeBlocksOnHeap);
}

}  // namespace residual_lab
