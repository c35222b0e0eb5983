#!/usr/bin/env bash
# trustsim's Netlogon server under handshake load, measured with bench/netlogon_load: persistent
# ncacn_ip_tcp connections to a served DC, one bind each, then back-to-back secure-channel
# handshakes (NetrServerReqChallenge + NetrServerAuthenticate3 with AES, the ServerCredential
# verified), at a few connection counts, on loopback.
#
#   bench/netlogon_bench.sh [--connections "1 4 16"] [--seconds S] [--warmup S] [--threads N]
#                           [--rounds N] [--no-crypto] [--no-build] [--keep]
#
# Defaults: 1, 4 and 16 connections, 5 s measured after 1 s of warm-up, one client thread, 3
# rounds; the environment variables NETLOGON_BENCH_CONNECTIONS, NETLOGON_BENCH_SECONDS,
# NETLOGON_BENCH_WARMUP, NETLOGON_BENCH_THREADS and NETLOGON_BENCH_ROUNDS set them too. With
# several rounds each connection count is reported by its median round by handshakes/s.
#
#   The DC     `trustsim serve scenarios/healthy-year.yaml --json` on 127.0.0.1 (the domain as of
#              the end of the timeline): DC01's Netlogon port and WS01's keytab, from the line it
#              prints. The machine password is the keytab's rc4-hmac key (the NT hash).
#   The load   netlogon_load, computer WS01 (connection i > 0 is WS01-i: the DC keeps one pending
#              challenge per computer name), account WS01$, flags 0x212fffff.
#   The bound  unless --no-crypto: the crypto-only bound from bench/crypto_bench (the DC's
#              BM_NetlogonServerHandshake/aes, and the client's BM_NetlogonSessionKey/aes plus two
#              BM_NetlogonCredential/aes), i.e. what one handshake costs without RPC or sockets.
#
# Prints a table, then the same figures as a markdown table for docs/performance.md. Exits 1 if
# any run saw more than 1% errors, 2 on a setup failure. Nothing listens beyond 127.0.0.1 and
# everything is written under a temporary directory, removed at the end.
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)

connection_counts=${NETLOGON_BENCH_CONNECTIONS:-1 4 16}
seconds=${NETLOGON_BENCH_SECONDS:-5}
warmup=${NETLOGON_BENCH_WARMUP:-1}
threads=${NETLOGON_BENCH_THREADS:-1}
rounds=${NETLOGON_BENCH_ROUNDS:-3}
build=1
keep=0
crypto=1
scenario=scenarios/healthy-year.yaml
host=WS01

usage() {
  sed -n '7,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case $1 in
    --connections) connection_counts=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --no-crypto) crypto=0; shift ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) usage ;;
    *) echo "netlogon_bench: unknown argument $1" >&2; usage ;;
  esac
done
case $rounds in ''|*[!0-9]*|0) echo "netlogon_bench: --rounds: a positive integer" >&2; exit 2 ;; esac
for c in $connection_counts; do
  case $c in *[!0-9]*|0) echo "netlogon_bench: --connections: positive integers" >&2; exit 2 ;; esac
done
[ -n "${connection_counts// /}" ] || { echo "netlogon_bench: --connections: none given" >&2; exit 2; }

die() { echo "netlogon_bench: $*" >&2; exit 2; }

trustsim=$repo/build/release/cli/trustsim
netlogon_load=$repo/build/release/bench/netlogon_load
crypto_bench=$repo/build/release/bench/crypto_bench
if [ "$build" = 1 ]; then
  targets=(trustsim netlogon_load)
  [ "$crypto" = 1 ] && targets+=(crypto_bench)
  echo "netlogon_bench: building ${targets[*]} (release preset)" >&2
  cmake --preset release >/dev/null
  cmake --build --preset release -j2 --target "${targets[@]}" >&2
fi
[ -x "$trustsim" ] || die "$trustsim is missing (build the release preset)"
[ -x "$netlogon_load" ] || die "$netlogon_load is missing (build the release preset)"
[ "$crypto" = 0 ] || [ -x "$crypto_bench" ] || die "$crypto_bench is missing (or pass --no-crypto)"
command -v python3 >/dev/null || die "python3 is missing"

work=$(mktemp -d "${TMPDIR:-/tmp}/netlogon_bench.XXXXXX")
pids=()
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
  local pid
  for pid in "${pids[@]+"${pids[@]}"}"; do
    kill -INT "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]+"${pids[@]}"}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ "$keep" = 1 ]; then echo "netlogon_bench: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits until $2:$3 accepts TCP connections, while process $1 lives.
wait_for_port() {
  local pid=$1 address=$2 port=$3
  for _ in $(seq 200); do
    kill -0 "$pid" 2>/dev/null || return 1
    if (exec 3<>"/dev/tcp/$address/$port") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  return 1
}

# CPU time (user + system, all threads) of a process so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# --- the crypto-only bound ----------------------------------------------------------------------
if [ "$crypto" = 1 ]; then
  echo "netlogon_bench: crypto_bench (the crypto-only bound)" >&2
  "$crypto_bench" --benchmark_filter='BM_Netlogon(SessionKey|Credential|ServerHandshake)/aes$' \
    --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
    --benchmark_format=json >"$work/crypto.json" 2>"$work/crypto.err" \
    || { cat "$work/crypto.err" >&2; die "crypto_bench failed"; }
fi

# --- serve --------------------------------------------------------------------------------------
out=$work/serve.jsonl
"$trustsim" serve "$scenario" --json --dir "$work/served" >"$out" 2>"$work/serve.err" &
serve_pid=$!
pids+=("$serve_pid")
for _ in $(seq 600); do
  [ -n "$(head -n1 "$out")" ] && break
  kill -0 "$serve_pid" 2>/dev/null || break
  sleep 0.05
done
if ! status=$(python3 - "$out" "$host" <<'PY'
import json, sys
s = json.loads(open(sys.argv[1]).readline())
assert s["event"] == "serving", s
n = s["netlogon"][0]
print(n["dc"], n["address"], n["port"], s["keytabs"][sys.argv[2]])
PY
); then
  cat "$work/serve.err" >&2
  die "trustsim serve did not report a Netlogon endpoint and a $host keytab"
fi
read -r dc address port keytab <<<"$status"
[ -s "$keytab" ] || die "trustsim serve wrote no keytab at $keytab"
wait_for_port "$serve_pid" "$address" "$port" || die "trustsim serve is not listening on $port"
echo "netlogon_bench: $dc's Netlogon on $address:$port, keytab $keytab" >&2

# --- measure ------------------------------------------------------------------------------------
failed=0
for round in $(seq "$rounds"); do
  for c in $connection_counts; do
    echo "netlogon_bench: round $round/$rounds: $c connection(s), ${warmup} s warm-up," \
      "${seconds} s measured" >&2
    rc=0
    ticks0=$(cpu_ticks "$serve_pid")
    "$netlogon_load" --netlogon "$address:$port" --computer "$host" --account "$host\$" \
      --keytab "$keytab" --primary-name "\\\\$dc" --connections "$c" --seconds "$seconds" \
      --warmup "$warmup" --threads "$threads" --json >"$work/$c.$round.load" || rc=$?
    ticks1=$(cpu_ticks "$serve_pid")
    [ -s "$work/$c.$round.load" ] || die "netlogon_load printed nothing (exit $rc)"
    [ "$rc" = 0 ] || failed=1
    python3 - "$work/$c.$round.load" "$((ticks1 - ticks0))" "$(getconf CLK_TCK)" "$rc" \
      >"$work/$c.$round.json" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).readline())
r["dc_cpu_seconds"] = int(sys.argv[2]) / int(sys.argv[3])
r["exit"] = int(sys.argv[4])
print(json.dumps(r))
PY
  done
done
kill -0 "$serve_pid" 2>/dev/null || die "trustsim serve died during the run"

# --- report -------------------------------------------------------------------------------------
python3 - "$work" "$connection_counts" "$seconds" "$warmup" "$threads" "$rounds" "$crypto" \
  "$dc" <<'PY'
import glob, json, os, platform, sys

work, counts, seconds, warmup, threads, rounds, crypto, dc = sys.argv[1:9]
counts = [int(c) for c in counts.split()]
rows, md = [], []
for c in counts:
    rs = sorted((json.loads(open(f).readline()) for f in glob.glob(os.path.join(work, f"{c}.*.json"))),
                key=lambda r: r["handshakes_per_second"])
    r = rs[(len(rs) - 1) // 2]  # the median round by handshakes/s
    errors = sum(x["errors"] for x in rs)
    attempts = sum(x["errors"] + x["handshakes"] for x in rs)
    done = r["handshakes"] + r["warmup_handshakes"]
    dc_us = 1e6 * r["dc_cpu_seconds"] / done if done else float("nan")
    client_us = 1e6 * r["client_cpu_seconds"] / done if done else float("nan")
    rows.append([str(c), f'{r["handshakes_per_second"]:.0f}',
                 f'{rs[0]["handshakes_per_second"]:.0f}-{rs[-1]["handshakes_per_second"]:.0f}',
                 f'{r["p50_ms"]:.3f}', f'{r["p99_ms"]:.3f}', f'{r["max_ms"]:.1f}',
                 f'{errors} ({100 * errors / max(attempts, 1):.2f}%)', f"{dc_us:.1f}",
                 f"{client_us:.1f}"])
header = ["connections", "handshakes/s", "range", "p50 ms", "p99 ms", "max ms", "errors",
          "DC CPU µs/hs", "client CPU µs/hs"]
widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
print()
print("  ".join(h.rjust(w) for h, w in zip(header, widths)))
for row in rows:
    print("  ".join(x.rjust(w) for x, w in zip(row, widths)))

bound = None
if crypto == "1":
    b = json.load(open(os.path.join(work, "crypto.json")))
    # Median CPU time of each, in ns (crypto_bench's unit).
    ns = {x["run_name"]: x["cpu_time"] for x in b["benchmarks"]
          if x.get("aggregate_name") == "median"}
    server = ns["BM_NetlogonServerHandshake/aes"]
    client = ns["BM_NetlogonSessionKey/aes"] + 2 * ns["BM_NetlogonCredential/aes"]
    bound = (server, client)
    print()
    print(f"crypto-only bound per handshake: DC {server / 1000:.2f} µs "
          f"(BM_NetlogonServerHandshake/aes: challenge bookkeeping, AES session key, "
          f"client credential check, server credential), client {client / 1000:.2f} µs "
          f"(session key + 2 credentials); {1e9 / (server + client):,.0f} handshakes/s on one "
          f"core, {1e9 / server:,.0f}/s with the DC alone on a core")

cpu = "?"
try:
    for l in open("/proc/cpuinfo"):
        if l.startswith("model name"):
            cpu = l.split(":", 1)[1].strip()
            break
except OSError:
    pass
print()
print("| connections | handshakes/s | p50 (ms) | p99 (ms) | max (ms) | errors "
      "| DC CPU per handshake (µs) | client CPU per handshake (µs) |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|")
for row in rows:
    print(f"| {row[0]} | {row[1]} | {row[3]} | {row[4]} | {row[5]} | {row[6].split()[0]} | "
          f"{row[7]} | {row[8]} |")
if bound:
    server, client = bound
    print(f"| crypto only (bench/crypto_bench) | {1e9 / (server + client):,.0f} (one core) | | | | "
          f"| {server / 1000:.2f} | {client / 1000:.2f} |")
print()
print(f"bench/netlogon_bench.sh: `trustsim serve {os.path.basename('scenarios/healthy-year.yaml')}` "
      f"({dc}), netlogon_load with one persistent ncacn_ip_tcp connection per worker "
      f"({threads} client thread{'s' if threads != '1' else ''}), {warmup} s warm-up then "
      f"{seconds} s measured per row, {rounds} round{'s' if rounds != '1' else ''}"
      f"{' (median round shown)' if rounds != '1' else ''}. A handshake is NetrServerReqChallenge "
      "+ NetrServerAuthenticate3 (flags 0x212fffff, AES) with the ServerCredential verified; "
      "CPU per handshake counts warm-up handshakes too. "
      f"{os.cpu_count()} CPUs ({cpu}), Linux {platform.release()}; the DC and the load generator "
      "share them.")
PY
exit "$failed"
