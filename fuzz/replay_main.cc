// Copyright 2026 The trustsim Authors.
//
// replay_main.cc
// -----------------------------------------------------------------------------
//
// A `main` for fuzz targets in builds without libFuzzer (the g++ dev, release
// and asan presets): it runs `LLVMFuzzerTestOneInput` once on every file named
// on the command line and on every regular file directly inside every
// directory named there, in sorted order, and prints how many it ran. Arguments
// that start with '-' (libFuzzer flags such as -runs=0 or -dict=...) are
// ignored, so the same command line works with either main. Any crash,
// sanitizer report or abort() in the target fails the run, which is how the
// `fuzz.replay.<name>` ctests keep every corpus input, crash reproducers
// included, passing (Envoy's test/fuzz/main.cc does the same).
//
// Exit status: 0 when every input ran; 1 when a path could not be read.
//
// Example:
//
//   build/dev/fuzz/der_fuzzer fuzz/corpus/der_fuzzer/ crash-1234
//   # der_fuzzer: ran 27 inputs

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
// Optional, as in libFuzzer: a target may define it to set itself up once.
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

namespace fs = std::filesystem;

bool ReadFile(const fs::path& path, std::vector<uint8_t>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

// Collects the inputs named by `arg`: the file itself, or the regular files
// directly inside the directory, sorted. Returns false if `arg` is neither.
bool Collect(const std::string& arg, std::vector<fs::path>& inputs) {
  std::error_code ec;
  const fs::path path(arg);
  if (fs::is_directory(path, ec)) {
    std::vector<fs::path> files;
    for (const fs::directory_entry& entry : fs::directory_iterator(path, ec)) {
      if (entry.is_regular_file(ec)) files.push_back(entry.path());
    }
    if (ec) return false;
    std::sort(files.begin(), files.end());
    inputs.insert(inputs.end(), files.begin(), files.end());
    return true;
  }
  if (fs::is_regular_file(path, ec)) {
    inputs.push_back(path);
    return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  const std::string name = fs::path(argv[0]).filename().string();

  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (!arg.empty() && arg[0] == '-') continue;  // a libFuzzer flag
    if (!Collect(arg, inputs)) {
      std::fprintf(stderr, "%s: cannot read %s\n", name.c_str(), arg.c_str());
      return 1;
    }
  }

  std::vector<uint8_t> data;
  for (const fs::path& input : inputs) {
    if (!ReadFile(input, data)) {
      std::fprintf(stderr, "%s: cannot read %s\n", name.c_str(), input.c_str());
      return 1;
    }
    // Copied into an exactly sized heap buffer (never null, even when empty)
    // so that ASan catches reads past the end, as libFuzzer's driver does.
    std::unique_ptr<uint8_t[]> exact(new uint8_t[data.size()]);
    std::copy(data.begin(), data.end(), exact.get());
    LLVMFuzzerTestOneInput(exact.get(), data.size());
  }
  std::printf("%s: ran %zu inputs\n", name.c_str(), inputs.size());
  return 0;
}
