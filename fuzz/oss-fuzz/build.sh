#!/bin/bash -eu
# fuzz/oss-fuzz/build.sh: the OSS-Fuzz / ClusterFuzz build script
# (https://google.github.io/oss-fuzz/getting-started/new-project-guide/).
#
# OSS-Fuzz runs it in the project's checkout ($SRC/trustsim) with $CC, $CXX,
# $CFLAGS, $CXXFLAGS (sanitizer and coverage flags included), $LIB_FUZZING_ENGINE
# and $OUT set. It builds the libraries with CMake and those flags, links every
# *_fuzzer target with $LIB_FUZZING_ENGINE, and copies to $OUT, per target:
#
#   <name>                      the binary
#   <name>.dict, <name>.options its dictionary and libFuzzer options
#   <name>_seed_corpus.zip      its seed corpus (fuzz/corpus/<name>/)
#   lib/                        the shared libraries it needs that the runner
#                               image lacks (Debian's Abseil, yaml-cpp,
#                               OpenSSL 3), found through an $ORIGIN/lib rpath
#
# The image must provide what scripts/setup-debian.sh installs (CMake >= 3.25,
# Ninja, Abseil, OpenSSL 3, yaml-cpp, Boost, nlohmann-json); see
# docs/fuzzing.md. Locally:
#
#   export CC=clang CXX=clang++ CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only \
#     -fsanitize=address,undefined -fsanitize=fuzzer-no-link" CXXFLAGS="$CFLAGS" \
#     LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/out SRC=/tmp
#   mkdir -p $OUT && fuzz/oss-fuzz/build.sh

cd "${SRC:-/nonexistent}/trustsim" 2>/dev/null || cd "$(dirname "$0")/../.."
root="$(pwd)"
build="${WORK:-/tmp}/trustsim-oss-fuzz-build"

cmake -S "${root}" -B "${build}" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="${CC}" -DCMAKE_CXX_COMPILER="${CXX}" \
  -DCMAKE_CXX_FLAGS="${CXXFLAGS}" \
  -DCMAKE_CXX_FLAGS_RELEASE="" \
  -DCMAKE_EXE_LINKER_FLAGS="-Wl,--disable-new-dtags,-rpath,'\$ORIGIN/lib'" \
  -DTRUSTSIM_FUZZ=OFF -DTRUSTSIM_SANITIZE=OFF \
  -DTRUSTSIM_BUILD_TESTS=OFF -DTRUSTSIM_BUILD_BENCH=OFF -DBUILD_TESTING=OFF \
  -DTRUSTSIM_LIB_FUZZING_ENGINE="${LIB_FUZZING_ENGINE}"
cmake --build "${build}" --target all_fuzzers -j "$(nproc)"

mkdir -p "${OUT}/lib"
while IFS=$'\t' read -r name binary corpus dict options; do
  [[ -n "${name}" ]] || continue
  cp "${binary}" "${OUT}/${name}"
  [[ "${dict}" == "-" ]] || cp "${dict}" "${OUT}/${name}.dict"
  [[ "${options}" == "-" ]] || cp "${options}" "${OUT}/${name}.options"
  rm -f "${OUT}/${name}_seed_corpus.zip"
  (cd "${corpus}" && zip -q -r "${OUT}/${name}_seed_corpus.zip" .)
  # Shared libraries the base-runner image does not have.
  ldd "${binary}" | awk '/=> \// { print $3 }' |
    grep -E 'libabsl_|libyaml-cpp|libcrypto|libssl' |
    while read -r lib; do cp -L -n "${lib}" "${OUT}/lib/" || true; done
done <"${build}/fuzz/fuzzers.tsv"
