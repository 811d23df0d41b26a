{
  "targets": [
    {
      "target_name": "residual_lab",
      "sources": [
        "native/addon.cc",
        "native/arguments.cc",
        "native/tensor_handle.cc",
        "native/tensor_ops.cc",
        "native/math_ops.cc",
        "native/shape_ops.cc",
        "native/neural_ops.cc",
        "native/autograd.cc",
        "native/optimizer.cc",
        "native/fused_step.cc",
        "native/runtime.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(node scripts/libtorch.mjs includeDirs)"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_CPP_EXCEPTIONS",
        "_GLIBCXX_USE_CXX11_ABI=<!(node scripts/libtorch.mjs cxx11Abi)"
      ],
      "cflags!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-frtti", "-O3", "-fno-math-errno", "-ffp-contract=off", "-Wno-unused-parameter", "-Wno-deprecated-declarations"],
      "libraries": [
        "-L<!(node scripts/libtorch.mjs libDir)",
        "-Wl,--no-as-needed",
        "<!@(node scripts/libtorch.mjs libraries)",
        "-Wl,--as-needed",
        "-Wl,-rpath,<!(node scripts/libtorch.mjs libDir)"
      ]
    }
  ]
}
