// Elementwise arithmetic, comparisons and reductions. Each op is one entry in a table, so adding
// an op is one line and every op shares the same argument checks and error messages.
#include "arguments.h"
#include "registry.h"

namespace residual_lab {

namespace {

using Tensor = torch::Tensor;

struct UnaryOp {
  const char* name;
  Tensor (*apply)(const Tensor&);
};

// A binary op takes (tensor, tensor) or (tensor, number).
struct BinaryOp {
  const char* name;
  Tensor (*with_tensor)(const Tensor&, const Tensor&);
  Tensor (*with_scalar)(const Tensor&, const c10::Scalar&);
};

UnaryOp kUnaryOps[] = {
    {"neg", [](const Tensor& x) { return torch::neg(x); }},
    {"exp", [](const Tensor& x) { return torch::exp(x); }},
    {"log", [](const Tensor& x) { return torch::log(x); }},
    {"sqrt", [](const Tensor& x) { return torch::sqrt(x); }},
    {"abs", [](const Tensor& x) { return torch::abs(x); }},
    {"sign", [](const Tensor& x) { return torch::sign(x); }},
    {"square", [](const Tensor& x) { return torch::square(x); }},
    {"reciprocal", [](const Tensor& x) { return torch::reciprocal(x); }},
    {"sin", [](const Tensor& x) { return torch::sin(x); }},
    {"cos", [](const Tensor& x) { return torch::cos(x); }},
    {"relu", [](const Tensor& x) { return torch::relu(x); }},
    {"sigmoid", [](const Tensor& x) { return torch::sigmoid(x); }},
    {"tanh", [](const Tensor& x) { return torch::tanh(x); }},
    {"gelu", [](const Tensor& x) { return torch::gelu(x); }},
    {"isfinite", [](const Tensor& x) { return torch::isfinite(x); }},
    {"logicalNot", [](const Tensor& x) { return torch::logical_not(x); }},
};

BinaryOp kBinaryOps[] = {
    {"add", [](const Tensor& a, const Tensor& b) { return torch::add(a, b); },
     [](const Tensor& a, const c10::Scalar& b) { return torch::add(a, b); }},
    {"sub", [](const Tensor& a, const Tensor& b) { return torch::sub(a, b); },
     [](const Tensor& a, const c10::Scalar& b) { return torch::sub(a, b); }},
    {"mul", [](const Tensor& a, const Tensor& b) { return torch::mul(a, b); },
     [](const Tensor& a, const c10::Scalar& b) { return torch::mul(a, b); }},
    {"div", [](const Tensor& a, const Tensor& b) { return torch::div(a, b); },
     [](const Tensor& a, const c10::Scalar& b) { return torch::div(a, b); }},
    {"pow", [](const Tensor& a, const Tensor& b) { return torch::pow(a, b); },
     [](const Tensor& a, const c10::Scalar& b) { return torch::pow(a, b); }},
    {"maximum", [](const Tensor& a, const Tensor& b) { return torch::maximum(a, b); },
     [](const Tensor& a, const c10::Scalar& b) { return torch::clamp_min(a, b); }},
    {"minimum", [](const Tensor& a, const Tensor& b) { return torch::minimum(a, b); },
     [](const Tensor& a, const c10::Scalar& b) { return torch::clamp_max(a, b); }},
    {"eq", [](const Tensor& a, const Tensor& b) { return torch::eq(a, b); },
     [](const Tensor& a, const c10::Scalar& b) { return torch::eq(a, b); }},
    {"ne", [](const Tensor& a, const Tensor& b) { return torch::ne(a, b); },
     [](const Tensor& a, const c10::Scalar& b) { return torch::ne(a, b); }},
    {"lt", [](const Tensor& a, const Tensor& b) { return torch::lt(a, b); },
     [](const Tensor& a, const c10::Scalar& b) { return torch::lt(a, b); }},
    {"le", [](const Tensor& a, const Tensor& b) { return torch::le(a, b); },
     [](const Tensor& a, const c10::Scalar& b) { return torch::le(a, b); }},
    {"gt", [](const Tensor& a, const Tensor& b) { return torch::gt(a, b); },
     [](const Tensor& a, const c10::Scalar& b) { return torch::gt(a, b); }},
    {"ge", [](const Tensor& a, const Tensor& b) { return torch::ge(a, b); },
     [](const Tensor& a, const c10::Scalar& b) { return torch::ge(a, b); }},
};

Napi::Value CallUnary(const Napi::CallbackInfo& info) {
  const UnaryOp* op = static_cast<const UnaryOp*>(info.Data());
  Tensor& x = TensorArgument(info, 0, op->name);
  return RunOp(info, op->name, [&] { return TensorResult(info.Env(), op->apply(x)); });
}

Napi::Value CallBinary(const Napi::CallbackInfo& info) {
  const BinaryOp* op = static_cast<const BinaryOp*>(info.Data());
  Tensor& a = TensorArgument(info, 0, op->name);
  if (info[1].IsNumber()) {
    double b = info[1].As<Napi::Number>().DoubleValue();
    return RunOp(info, op->name, [&] { return TensorResult(info.Env(), op->with_scalar(a, b)); });
  }
  Tensor& b = TensorArgument(info, 1, op->name);
  return RunOp(info, op->name, [&] { return TensorResult(info.Env(), op->with_tensor(a, b)); });
}

// clamp(x, min | null, max | null)
Napi::Value Clamp(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "clamp");
  c10::optional<c10::Scalar> low, high;
  if (info[1].IsNumber()) low = NumberArgument(info, 1, "clamp");
  if (info[2].IsNumber()) high = NumberArgument(info, 2, "clamp");
  return RunOp(info, "clamp", [&] { return TensorResult(info.Env(), torch::clamp(x, low, high)); });
}

// where(condition, a, b)
Napi::Value Where(const Napi::CallbackInfo& info) {
  Tensor& condition = TensorArgument(info, 0, "where");
  Tensor& a = TensorArgument(info, 1, "where");
  Tensor& b = TensorArgument(info, 2, "where");
  return RunOp(info, "where", [&] { return TensorResult(info.Env(), torch::where(condition, a, b)); });
}

// Reductions take (x, dims | null, keepdim); null reduces over every dimension.
Napi::Value Sum(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "sum");
  auto dims = OptionalIntListArgument(info, 1, "sum");
  bool keepdim = BoolArgument(info, 2, "sum");
  return RunOp(info, "sum", [&] {
    return TensorResult(info.Env(), dims ? torch::sum(x, *dims, keepdim) : torch::sum(x));
  });
}

Napi::Value Mean(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "mean");
  auto dims = OptionalIntListArgument(info, 1, "mean");
  bool keepdim = BoolArgument(info, 2, "mean");
  return RunOp(info, "mean", [&] {
    return TensorResult(info.Env(), dims ? torch::mean(x, *dims, keepdim) : torch::mean(x));
  });
}

// variance(x, dims | null, unbiased, keepdim)
Napi::Value Variance(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "var");
  auto dims = OptionalIntListArgument(info, 1, "var");
  bool unbiased = BoolArgument(info, 2, "var");
  bool keepdim = BoolArgument(info, 3, "var");
  return RunOp(info, "var", [&] {
    return TensorResult(info.Env(), dims ? torch::var(x, *dims, unbiased, keepdim) : torch::var(x, unbiased));
  });
}

// max(x, dim | null, keepdim): a 0-d tensor for null, else [values, indices].
Napi::Value Max(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "max");
  if (info[1].IsNull() || info[1].IsUndefined()) {
    return RunOp(info, "max", [&] { return TensorResult(info.Env(), torch::max(x)); });
  }
  int64_t dim = IntArgument(info, 1, "max");
  bool keepdim = BoolArgument(info, 2, "max");
  return RunOp(info, "max", [&] {
    auto [values, indices] = torch::max(x, dim, keepdim);
    return TensorListResult(info.Env(), {values, indices});
  });
}

Napi::Value Min(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "min");
  if (info[1].IsNull() || info[1].IsUndefined()) {
    return RunOp(info, "min", [&] { return TensorResult(info.Env(), torch::min(x)); });
  }
  int64_t dim = IntArgument(info, 1, "min");
  bool keepdim = BoolArgument(info, 2, "min");
  return RunOp(info, "min", [&] {
    auto [values, indices] = torch::min(x, dim, keepdim);
    return TensorListResult(info.Env(), {values, indices});
  });
}

// argmax(x, dim | null, keepdim)
Napi::Value Argmax(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "argmax");
  c10::optional<int64_t> dim;
  if (!info[1].IsNull() && !info[1].IsUndefined()) dim = IntArgument(info, 1, "argmax");
  bool keepdim = BoolArgument(info, 2, "argmax");
  return RunOp(info, "argmax", [&] { return TensorResult(info.Env(), torch::argmax(x, dim, keepdim)); });
}

// norm(x, p): the p-norm over all elements.
Napi::Value Norm(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "norm");
  double p = NumberArgument(info, 1, "norm");
  return RunOp(info, "norm", [&] { return TensorResult(info.Env(), torch::norm(x, p)); });
}

// matmul(a, b): numpy-style batched matrix product.
Napi::Value Matmul(const Napi::CallbackInfo& info) {
  Tensor& a = TensorArgument(info, 0, "matmul");
  Tensor& b = TensorArgument(info, 1, "matmul");
  return RunOp(info, "matmul", [&] { return TensorResult(info.Env(), torch::matmul(a, b)); });
}

// tril(x, diagonal), triu(x, diagonal): causal masks.
Napi::Value Tril(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "tril");
  int64_t diagonal = IntArgument(info, 1, "tril");
  return RunOp(info, "tril", [&] { return TensorResult(info.Env(), torch::tril(x, diagonal)); });
}

Napi::Value Triu(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "triu");
  int64_t diagonal = IntArgument(info, 1, "triu");
  return RunOp(info, "triu", [&] { return TensorResult(info.Env(), torch::triu(x, diagonal)); });
}

// svdvals(x): singular values, for rank measurements.
Napi::Value Svdvals(const Napi::CallbackInfo& info) {
  Tensor& x = TensorArgument(info, 0, "svdvals");
  return RunOp(info, "svdvals", [&] { return TensorResult(info.Env(), torch::linalg_svdvals(x)); });
}

}  // namespace

void RegisterMathOps(Napi::Env env, Napi::Object exports) {
  for (UnaryOp& op : kUnaryOps) Register(env, exports, op.name, CallUnary, &op);
  for (BinaryOp& op : kBinaryOps) Register(env, exports, op.name, CallBinary, &op);
  Register(env, exports, "clamp", Clamp);
  Register(env, exports, "where", Where);
  Register(env, exports, "sum", Sum);
  Register(env, exports, "mean", Mean);
  Register(env, exports, "var", Variance);
  Register(env, exports, "max", Max);
  Register(env, exports, "min", Min);
  Register(env, exports, "argmax", Argmax);
  Register(env, exports, "norm", Norm);
  Register(env, exports, "matmul", Matmul);
  Register(env, exports, "tril", Tril);
  Register(env, exports, "triu", Triu);
  Register(env, exports, "svdvals", Svdvals);
}

}  // namespace residual_lab
