#!/usr/bin/env bash
# fuzz/run_fuzzers.sh [SECONDS]
#
# A bounded fuzz run for CI (docs/fuzzing.md): configures and builds the
# `fuzz` preset (clang, libFuzzer, ASan/UBSan; only the fuzz targets), then
# runs every target listed in build/fuzz/fuzz/fuzzers.tsv for SECONDS seconds
# (default 15) over a scratch copy of its seed corpus:
#
#   <target> -seed=1 -max_total_time=SECONDS -timeout=10 -rss_limit_mb=2048
#            [-dict=<name>.dict] [-max_len=<from <name>.options>] <copy>
#
# The seed is fixed, the targets are deterministic and the checked-in corpus is
# never modified. A target that runs out of time passes; any crash, sanitizer
# report, broken invariant (abort), leak, out-of-memory or a single input
# running longer than 10 s (libFuzzer reports it as a timeout) fails the run.
# Crash inputs are kept in build/fuzz/fuzz/artifacts/<target>/.
#
# Environment:
#   FUZZERS="der_fuzzer keytab_fuzzer"  run only these targets
#   JOBS=2                              parallel compile jobs (default 2)
#   PRESET=fuzz-fast                    another libFuzzer preset: fuzz-fast
#                                       has no sanitizers, for throughput
#                                       (its exec/s are the ones compared
#                                       with the 100k target)
#
# Exit status: 0 if every target passed, 1 otherwise.

set -euo pipefail

seconds="${1:-15}"
if ! [[ "${seconds}" =~ ^[0-9]+$ ]] || [[ "${seconds}" -eq 0 ]]; then
  echo "usage: $0 [SECONDS]" >&2
  exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
preset="${PRESET:-fuzz}"
case "${preset}" in
  fuzz | fuzz-fast) ;;
  *)
    echo "PRESET must be fuzz or fuzz-fast, not ${preset}" >&2
    exit 2
    ;;
esac
build="${root}/build/${preset}"
jobs="${JOBS:-2}"

cd "${root}"
start=$(date +%s)
# The preset builds with -O1 as OSS-Fuzz does (4-7x the executions of -O0) and
# _GLIBCXX_ASSERTIONS, which turns libstdc++ precondition violations
# (operator* on an empty std::optional, front() of an empty vector, ...) into
# aborts that ASan alone does not see.
cmake --preset "${preset}" >/dev/null
cmake --build --preset "${preset}" -j "${jobs}" --target all_fuzzers
built=$(date +%s)
echo "build: $((built - start)) s"

manifest="${build}/fuzz/fuzzers.tsv"
if [[ ! -s "${manifest}" ]]; then
  echo "no fuzz targets in ${manifest}" >&2
  exit 1
fi

scratch="$(mktemp -d "${TMPDIR:-/tmp}/trustsim-fuzz.XXXXXX")"
trap 'rm -rf "${scratch}"' EXIT
artifacts="${build}/fuzz/artifacts"

failed=()
summary=()
while IFS=$'\t' read -r name binary corpus dict options; do
  [[ -n "${name}" ]] || continue
  if [[ -n "${FUZZERS:-}" && " ${FUZZERS} " != *" ${name} "* ]]; then
    continue
  fi
  work="${scratch}/${name}"
  mkdir -p "${work}/corpus" "${artifacts}/${name}"
  cp -R "${corpus}/." "${work}/corpus/"

  args=(-seed=1 "-max_total_time=${seconds}" -timeout=10 -rss_limit_mb=2048
        -print_final_stats=1 "-artifact_prefix=${artifacts}/${name}/")
  if [[ "${dict}" != "-" ]]; then
    args+=("-dict=${dict}")
  fi
  if [[ "${options}" != "-" ]]; then
    max_len="$(sed -n 's/^[[:space:]]*max_len[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' "${options}")"
    if [[ -n "${max_len}" ]]; then
      args+=("-max_len=${max_len}")
    fi
  fi

  echo "== ${name} (${seconds} s)"
  log="${work}/log"
  status=0
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:${UBSAN_OPTIONS}}" \
    "${binary}" "${args[@]}" "${work}/corpus" >"${log}" 2>&1 || status=$?

  # The last status line: "#N DONE cov: C ft: F corp: ... exec/s: E ...".
  done_line="$(grep -E '^#[0-9]+[[:space:]]+DONE' "${log}" | tail -n 1 || true)"
  execs="$(sed -n 's/^stat::number_of_executed_units:[[:space:]]*//p' "${log}" | tail -n 1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec:[[:space:]]*//p' "${log}" | tail -n 1)"
  cov="$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"${done_line}")"
  ft="$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"${done_line}")"
  if [[ "${status}" -eq 0 ]]; then
    verdict="ok"
  else
    verdict="FAILED (exit ${status})"
    failed+=("${name}")
    echo "---- ${name}: last 60 lines of the libFuzzer log"
    tail -n 60 "${log}"
    echo "---- artifacts in ${artifacts}/${name}/:"
    ls -1 "${artifacts}/${name}/" || true
  fi
  summary+=("$(printf '%-26s %-10s %-8s %-7s %-7s %s' "${name}" "${execs:--}" "${rate:--}" \
    "${cov:--}" "${ft:--}" "${verdict}")")
done <"${manifest}"

echo
printf '%-26s %-10s %-8s %-7s %-7s %s\n' target execs exec/s cov ft result
printf '%s\n' "${summary[@]}"
echo "total: $(( $(date +%s) - start )) s (build $((built - start)) s)"

if [[ "${#failed[@]}" -ne 0 ]]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
