#!/usr/bin/env bash
# A fuzzing campaign over every target, and the source coverage it reaches: the figures of
# docs/performance.md, "An hour of fuzzing".
#
#   bench/fuzz_campaign.sh [SECONDS] [STATEFUL_SECONDS]
#
# Builds the fuzz preset (libFuzzer + ASan + UBSan), then runs each target in
# build/fuzz/fuzz/fuzzers.tsv for SECONDS (default 420) or, for the stateful targets, for
# STATEFUL_SECONDS (default 600), two at a time, without a fixed seed, from the checked-in corpus
# (read only; new inputs go to build/fuzz-campaign/<name>/corpus), with run_fuzzers.sh's
# -timeout, -rss_limit_mb, dictionary and max_len. Prints executions, exec/s, cov, ft and the
# corpus size per target, and the crash artifacts, if any.
#
# Then builds build/coverage (clang's -fprofile-instr-generate with the replay main, as
# docs/fuzzing.md "Coverage" does), replays each target's grown corpus and seeds, and prints the
# line and branch coverage of the sources that target is for.
#
# Exit status: 0 if no target crashed, 1 otherwise.

set -euo pipefail

seconds="${1:-420}"
stateful_seconds="${2:-600}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${root}/build/fuzz-campaign"
cd "${root}"

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j 2 --target all_fuzzers
manifest="${root}/build/fuzz/fuzz/fuzzers.tsv"

# The sources each target is for, for the coverage report.
declare -A sources=(
  [der_fuzzer]="protocol/kerberos/der.cc"
  [kerberos_message_fuzzer]="protocol/kerberos/messages.cc protocol/kerberos/tickets.cc"
  [keytab_fuzzer]="protocol/kerberos/keytab.cc"
  [dcerpc_pdu_fuzzer]="protocol/dcerpc/pdu.cc protocol/dcerpc/connection.cc"
  [dcerpc_connection_fuzzer]="protocol/dcerpc/connection.cc"
  [ndr_netlogon_fuzzer]="protocol/dcerpc/ndr.cc protocol/netlogon/rpc.cc protocol/netlogon/rpc_client.cc"
  [scenario_fuzzer]="sim/scenario/loader.cc"
  [netlogon_session_fuzzer]="protocol/netlogon/server.cc protocol/netlogon/handshake.cc protocol/netlogon/schannel.cc protocol/netlogon/rpc.cc"
  [kdc_fuzzer]="protocol/kerberos/kdc.cc"
)

# run_one NAME BINARY CORPUS DICT OPTIONS
run_one() {
  local name="$1" binary="$2" corpus="$3" dict="$4" options="$5"
  local work="${out}/${name}" secs="${seconds}"
  [[ "${binary}" == */stateful/* ]] && secs="${stateful_seconds}"
  rm -rf "${work}" && mkdir -p "${work}/corpus" "${work}/artifacts"
  local args=("-max_total_time=${secs}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
              "-artifact_prefix=${work}/artifacts/")
  [[ "${dict}" != "-" ]] && args+=("-dict=${dict}")
  if [[ "${options}" != "-" ]]; then
    local max_len
    max_len="$(sed -n 's/^[[:space:]]*max_len[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' "${options}")"
    [[ -n "${max_len}" ]] && args+=("-max_len=${max_len}")
  fi
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    "${binary}" "${args[@]}" "${work}/corpus" "${corpus}" >"${work}/log" 2>&1 || true
}
export -f run_one
export out seconds stateful_seconds

rm -rf "${out}"
mkdir -p "${out}"
# Two at a time: one per CPU of the 2-core machine this was written on.
tr '\t' '\n' <"${manifest}" | xargs -d '\n' -n 5 -P 2 bash -c 'run_one "$@"' _

crashed=0
printf '%-26s %8s %12s %8s %6s %7s %7s %s\n' target seconds executions exec/s cov ft corpus artifacts
while IFS=$'\t' read -r name binary corpus dict options; do
  log="${out}/${name}/log"
  done_line="$(grep -E '^#[0-9]+[[:space:]]+DONE' "${log}" | tail -n 1 || true)"
  execs="$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"${done_line}")"
  rate="$(sed -n 's/^stat::average_exec_per_sec:[[:space:]]*//p' "${log}" | tail -n 1)"
  cov="$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"${done_line}")"
  ft="$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"${done_line}")"
  secs="${seconds}"
  [[ "${binary}" == */stateful/* ]] && secs="${stateful_seconds}"
  artifacts="$(ls "${out}/${name}/artifacts" | wc -l)"
  [[ "${artifacts}" -eq 0 && -n "${done_line}" ]] || crashed=1
  printf '%-26s %8s %12s %8s %6s %7s %7s %s\n' "${name}" "${secs}" "${execs:--}" "${rate:--}" \
    "${cov:--}" "${ft:--}" "$(ls "${out}/${name}/corpus" | wc -l)" "${artifacts}"
done <"${manifest}"

# Coverage of the grown corpora.
cmake -S . -B build/coverage -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
  -DTRUSTSIM_BUILD_TESTS=OFF -DTRUSTSIM_BUILD_BENCH=OFF \
  -DCMAKE_CXX_FLAGS="-fprofile-instr-generate -fcoverage-mapping" \
  -DCMAKE_EXE_LINKER_FLAGS="-fprofile-instr-generate" >/dev/null
cmake --build build/coverage --target all_fuzzers -j 2 >/dev/null
profiles="${out}/profiles"
mkdir -p "${profiles}"
echo
printf '%-26s %-22s %s\n' target lines branches
while IFS=$'\t' read -r name binary corpus dict options; do
  cov_binary="$(find build/coverage/fuzz -name "${name}" -type f | head -n 1)"
  rm -f "${profiles}/${name}"-*.profraw
  LLVM_PROFILE_FILE="${profiles}/${name}-%p.profraw" \
    "${cov_binary}" "${out}/${name}/corpus" "${corpus}" >/dev/null 2>&1
  llvm-profdata-14 merge -sparse "${profiles}/${name}"-*.profraw -o "${profiles}/${name}.profdata"
  # shellcheck disable=SC2086  # the sources are a word list
  total="$(llvm-cov-14 report "${cov_binary}" -instr-profile="${profiles}/${name}.profdata" \
    ${sources[${name}]:-} | awk '/^TOTAL/')"
  printf '%-26s %-22s %s\n' "${name}" \
    "$(awk '{printf "%d/%d (%s)", $8 - $9, $8, $10}' <<<"${total}")" "$(awk '{print $13}' <<<"${total}")"
done <"${manifest}"

exit "${crashed}"
