#!/usr/bin/env bash
# Every test: install what is missing, build everything, run ctest (unit tests,
# the scenario library, the interop tests with real MIT kinit and impacket, and
# the replay of every fuzz corpus), then a short, bounded run of every fuzz
# target under clang + libFuzzer + ASan/UBSan (fuzz/run_fuzzers.sh, fixed
# seed). Arguments go to ctest; with arguments the fuzz run is skipped.
set -euo pipefail
cd "$(dirname "$0")"
scripts/build.sh dev
ctest --preset dev -j"$(nproc)" "$@"
if [ $# -eq 0 ]; then
  fuzz/run_fuzzers.sh "${TRUSTSIM_FUZZ_SECONDS:-10}"
fi
