#!/usr/bin/env bash
# trustsim's KDC against MIT krb5kdc, side by side, measured with bench/kdc_load: full AS exchanges
# with pre-authentication (AS-REQ -> KRB-ERROR 25 -> AS-REQ with PA-ENC-TIMESTAMP -> AS-REP), a
# fresh TCP connection per request as MIT's kinit makes, on loopback.
#
#   bench/kdc_vs_mit.sh [--connections N] [--seconds S] [--warmup S] [--threads N] [--rounds N]
#                       [--only trustsim|mit] [--no-build] [--keep]
#
# Defaults: 16 connections, 5 s measured after 1 s of warm-up, one client thread, 3 rounds; the
# environment variables KDC_BENCH_CONNECTIONS, KDC_BENCH_SECONDS, KDC_BENCH_WARMUP,
# KDC_BENCH_THREADS and KDC_BENCH_ROUNDS set them too. The KDCs run one after the other, never at
# once, so each has the machine to itself (with the load generator); they take turns for
# `--rounds` rounds and each is reported by its median round, which keeps a burst of other load
# on the machine from deciding the comparison.
#
#   trustsim   `trustsim serve scenarios/healthy-year.yaml --json` on 127.0.0.1 (the domain as
#              of the end of the timeline), with the WS01 keytab it writes.
#   MIT        krb5kdc (Debian's krb5-kdc) in a throwaway realm CORP.EXAMPLE.COM in a temporary
#              directory, principal WS01$ with requires_preauth and aes256/aes128 keys. Measured
#              twice: with MIT's defaults, where every AS-REP also records the principal's last
#              successful logon in the database (an fsync), and with `disable_last_success` and
#              `disable_lockout`, which leaves only the protocol work. Both KDCs log each request
#              to a file.
#
# Prints a table, then the same figures as a markdown table for docs/performance.md. Exits 1 if
# any run saw more than 1% errors, 2 on a setup failure. Root is not needed; nothing listens
# beyond 127.0.0.1 and everything is written under a temporary directory, removed at the end.
#
# MIT's admin tools (kadmin.local) live in krb5-admin-server, which is not installed here; the
# principal is created through libkadm5srv (which krb5-kdc brings, kdb5_util links it) from
# python3's ctypes, and its keytab written with ktutil from krb5-user.
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)

connections=${KDC_BENCH_CONNECTIONS:-16}
seconds=${KDC_BENCH_SECONDS:-5}
warmup=${KDC_BENCH_WARMUP:-1}
threads=${KDC_BENCH_THREADS:-1}
rounds=${KDC_BENCH_ROUNDS:-3}
only=
build=1
keep=0
scenario=scenarios/healthy-year.yaml
host=WS01
realm=CORP.EXAMPLE.COM

usage() {
  sed -n '6,7p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case $1 in
    --connections) connections=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) usage ;;
    *) echo "kdc_vs_mit: unknown argument $1" >&2; usage ;;
  esac
done
case $only in ''|trustsim|mit) ;; *) echo "kdc_vs_mit: --only trustsim|mit" >&2; exit 2 ;; esac
case $rounds in ''|*[!0-9]*|0) echo "kdc_vs_mit: --rounds: a positive integer" >&2; exit 2 ;; esac

die() { echo "kdc_vs_mit: $*" >&2; exit 2; }
run_trustsim=1; run_mit=1
[ "$only" = mit ] && run_trustsim=0
[ "$only" = trustsim ] && run_mit=0

trustsim=$repo/build/release/cli/trustsim
kdc_load=$repo/build/release/bench/kdc_load
if [ "$build" = 1 ]; then
  targets=(kdc_load)
  [ "$run_trustsim" = 1 ] && targets+=(trustsim)
  echo "kdc_vs_mit: building ${targets[*]} (release preset)" >&2
  cmake --preset release >/dev/null
  cmake --build --preset release -j2 --target "${targets[@]}" >&2
fi
[ -x "$kdc_load" ] || die "$kdc_load is missing (build the release preset)"
if [ "$run_mit" = 1 ]; then
  for tool in /usr/sbin/krb5kdc /usr/sbin/kdb5_util; do
    [ -x "$tool" ] || die "$tool is missing: apt-get install krb5-kdc"
  done
  command -v ktutil >/dev/null || die "ktutil is missing: apt-get install krb5-user"
fi
command -v python3 >/dev/null || die "python3 is missing"

work=$(mktemp -d "${TMPDIR:-/tmp}/kdc_vs_mit.XXXXXX")
pids=()
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ "$keep" = 1 ]; then echo "kdc_vs_mit: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Stops one background server started by this script and forgets it.
stop() {
  local pid=$1 rest=() p
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${pids[@]}"; do [ "$p" = "$pid" ] || rest+=("$p"); done
  pids=("${rest[@]+"${rest[@]}"}")
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until 127.0.0.1:$2 accepts TCP connections, while process $1 lives.
wait_for_port() {
  local pid=$1 port=$2
  for _ in $(seq 200); do
    kill -0 "$pid" 2>/dev/null || return 1
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  return 1
}

# CPU time (user + system, all threads) of a process so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# SYNs and connections the kernel dropped because a listen queue was full, so far.
listen_drops() {
  awk '/^TcpExt:/ { if (!n) { for (i = 1; i <= NF; i++) name[i] = $i; n = 1 }
                    else { for (i = 1; i <= NF; i++) if (name[i] == "ListenDrops") print $i } }' \
    /proc/net/netstat
}

failed=0
# Runs kdc_load against a server (pid $3, port $4, keytab $5, label $6) and stores its figures as
# $work/$1.$2.json ($2: the round).
measure() {
  local name=$1 round=$2 pid=$3 port=$4 keytab=$5 label=$6 ticks0 ticks1 drops0 drops1 rc=0
  echo "kdc_vs_mit: round $round/$rounds: $label on 127.0.0.1:$port: $connections connections," \
    "${warmup} s warm-up, ${seconds} s measured" >&2
  ticks0=$(cpu_ticks "$pid")
  drops0=$(listen_drops)
  "$kdc_load" --kdc "127.0.0.1:$port" --principal "$host\$" --realm "$realm" --keytab "$keytab" \
    --connections "$connections" --seconds "$seconds" --warmup "$warmup" --threads "$threads" \
    --json >"$work/$name.$round.load" || rc=$?
  ticks1=$(cpu_ticks "$pid")
  drops1=$(listen_drops)
  [ -s "$work/$name.$round.load" ] || die "kdc_load against $label printed nothing (exit $rc)"
  [ "$rc" = 0 ] || failed=1
  python3 - "$work/$name.$round.load" "$label" "$((ticks1 - ticks0))" "$(getconf CLK_TCK)" \
    "$((drops1 - drops0))" "$rc" >"$work/$name.$round.json" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).readline())
r["label"] = sys.argv[2]
r["kdc_cpu_seconds"] = int(sys.argv[3]) / int(sys.argv[4])
r["listen_drops"] = int(sys.argv[5])
r["exit"] = int(sys.argv[6])
print(json.dumps(r))
PY
  if [ "$round" = 1 ]; then echo "$name" >>"$work/order"; fi
}

# --- trustsim ---------------------------------------------------------------------------------
if [ "$run_trustsim" = 1 ]; then
  [ -x "$trustsim" ] || die "$trustsim is missing (build the release preset)"
  "$trustsim" serve --help >/dev/null 2>&1 || die "this trustsim has no 'serve' subcommand"
  mkdir -p "$work/trustsim"
fi

# Serves the scenario, measures it and stops it. $1: the round.
bench_trustsim() {
  local round=$1 out=$work/trustsim/serve.$1.jsonl status serve_pid served_realm port keytab
  : >"$out"
  # As of the end of the timeline: WS01 at kvno 13 on DC01, nothing due for 30 simulated days.
  "$trustsim" serve "$scenario" --kdc 127.0.0.1:0 --json --dir "$work/trustsim/served.$round" \
    >"$out" 2>"$work/trustsim/serve.$round.err" &
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
print(s["realm"], s["kdcs"][0]["tcp_port"], s.get("keytabs", {}).get(sys.argv[2], ""))
PY
  ); then
    cat "$work/trustsim/serve.$round.err" >&2
    die "trustsim serve did not report serving"
  fi
  read -r served_realm port keytab <<<"$status"
  [ "$served_realm" = "$realm" ] || die "trustsim serves $served_realm, not $realm"
  if [ -z "$keytab" ]; then
    # A serve that writes no keytab: ask for it, as of the same point (the end).
    keytab=$work/trustsim/ws01.keytab
    [ -s "$keytab" ] || "$trustsim" keytab "$scenario" "$host" -o "$keytab" >&2
  fi
  wait_for_port "$serve_pid" "$port" || die "trustsim serve is not listening"
  measure trustsim "$round" "$serve_pid" "$port" "$keytab" \
    "trustsim serve ($(basename "$scenario"))"
  stop "$serve_pid"
}

# --- MIT krb5kdc ------------------------------------------------------------------------------
if [ "$run_mit" = 1 ]; then
  mit=$work/mit
  mkdir -p "$mit"
  mit_port=$(free_port)
  export KRB5_CONFIG=$mit/krb5.conf KRB5_KDC_PROFILE=$mit/kdc.conf
  cat >"$KRB5_CONFIG" <<EOF
[libdefaults]
    default_realm = $realm
    dns_lookup_kdc = false
    dns_lookup_realm = false
    rdns = false
    udp_preference_limit = 1
[realms]
    $realm = {
        kdc = 127.0.0.1:$mit_port
    }
EOF
  # $1: extra [dbmodules] lines.
  write_kdc_conf() {
    cat >"$KRB5_KDC_PROFILE" <<EOF
[kdcdefaults]
    kdc_listen = 127.0.0.1:$mit_port
    kdc_tcp_listen = 127.0.0.1:$mit_port
[realms]
    $realm = {
        database_name = $mit/principal
        key_stash_file = $mit/stash
        acl_file = $mit/kadm5.acl
        supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
        max_life = 10h
        max_renewable_life = 7d
    }
[dbmodules]
    $realm = {
$1
    }
[logging]
    kdc = FILE:$mit/kdc.log
    admin_server = FILE:$mit/kadmin.log
    default = FILE:$mit/krb5lib.log
EOF
  }
  write_kdc_conf ""
  : >"$mit/kadm5.acl"
  kdb5_util create -s -P masterpw -r "$realm" >"$mit/kdb5_util.out" 2>&1 \
    || { cat "$mit/kdb5_util.out" >&2; die "kdb5_util create failed"; }

  # addprinc +requires_preauth, through libkadm5srv as kadmin.local would.
  mit_password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
  MIT_PASSWORD=$mit_password python3 - "$host\$" <<'PY' || die "creating $host\$ failed"
import ctypes, os, sys

kadm5 = ctypes.CDLL("libkadm5srv_mit.so.12")
krb5 = ctypes.CDLL("libkrb5.so.3")
com_err = ctypes.CDLL("libcom_err.so.2")
com_err.error_message.restype = ctypes.c_char_p
com_err.error_message.argtypes = [ctypes.c_long]

class PrincipalEnt(ctypes.Structure):  # kadm5_principal_ent_rec, <kadm5/admin.h>
    _fields_ = [("principal", ctypes.c_void_p), ("princ_expire_time", ctypes.c_int32),
                ("last_pwd_change", ctypes.c_int32), ("pw_expiration", ctypes.c_int32),
                ("max_life", ctypes.c_int32), ("mod_name", ctypes.c_void_p),
                ("mod_date", ctypes.c_int32), ("attributes", ctypes.c_int32),
                ("kvno", ctypes.c_uint32), ("mkvno", ctypes.c_uint32),
                ("policy", ctypes.c_char_p), ("aux_attributes", ctypes.c_long),
                ("max_renewable_life", ctypes.c_int32), ("last_success", ctypes.c_int32),
                ("last_failed", ctypes.c_int32), ("fail_auth_count", ctypes.c_uint32),
                ("n_key_data", ctypes.c_int16), ("n_tl_data", ctypes.c_int16),
                ("tl_data", ctypes.c_void_p), ("key_data", ctypes.c_void_p)]

KADM5_STRUCT_VERSION = 0x12345601
KADM5_API_VERSION_4 = 0x12345704
KADM5_PRINCIPAL, KADM5_ATTRIBUTES = 0x000001, 0x000010
KRB5_KDB_REQUIRES_PRE_AUTH = 0x00000080

def check(what, code):
    if code:
        sys.exit(f"{what}: {com_err.error_message(code).decode()}")

kadm5.kadm5_init_krb5_context.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
kadm5.kadm5_init_with_password.argtypes = [
    ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p,
    ctypes.c_uint32, ctypes.c_uint32, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
kadm5.kadm5_create_principal.argtypes = [
    ctypes.c_void_p, ctypes.POINTER(PrincipalEnt), ctypes.c_long, ctypes.c_char_p]
kadm5.kadm5_destroy.argtypes = [ctypes.c_void_p]
krb5.krb5_parse_name.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]

context, handle, principal = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_void_p()
check("kadm5_init_krb5_context", kadm5.kadm5_init_krb5_context(ctypes.byref(context)))
check("kadm5_init", kadm5.kadm5_init_with_password(
    context, b"root/admin", None, b"kadmin/admin", None, KADM5_STRUCT_VERSION,
    KADM5_API_VERSION_4, None, ctypes.byref(handle)))
check("krb5_parse_name", krb5.krb5_parse_name(context, sys.argv[1].encode(), ctypes.byref(principal)))
ent = PrincipalEnt(principal=principal, attributes=KRB5_KDB_REQUIRES_PRE_AUTH)
check("kadm5_create_principal", kadm5.kadm5_create_principal(
    handle, ctypes.byref(ent), KADM5_PRINCIPAL | KADM5_ATTRIBUTES,
    os.environ["MIT_PASSWORD"].encode()))
check("kadm5_destroy", kadm5.kadm5_destroy(handle))
PY
  # ktadd, without changing the key: the password's keys at kvno 1 (the principal's), with MIT's
  # default salt (realm + name), which ktutil derives too.
  {
    for enctype in aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96; do
      printf 'addent -password -p %s@%s -k 1 -e %s\n%s\n' "$host\$" "$realm" "$enctype" \
        "$mit_password"
    done
    printf 'wkt %s\nquit\n' "$mit/mit.keytab"
  } | ktutil >"$mit/ktutil.out" 2>&1 || { cat "$mit/ktutil.out" >&2; die "ktutil failed"; }
  [ -s "$mit/mit.keytab" ] || die "ktutil wrote no keytab"
  mit_version=$(dpkg-query -W -f='${Version}' krb5-kdc 2>/dev/null | sed 's/-.*//') || true

fi

# Starts krb5kdc, measures it and stops it. $1: name, $2: label, $3: [dbmodules] lines,
# $4: the round.
bench_mit() {
  local kdc_pid
  write_kdc_conf "$3"
  /usr/sbin/krb5kdc -n -r "$realm" >>"$mit/krb5kdc.out" 2>&1 &
  kdc_pid=$!
  pids+=("$kdc_pid")
  wait_for_port "$kdc_pid" "$mit_port" \
    || { cat "$mit/krb5kdc.out" "$mit/kdc.log" >&2; die "krb5kdc did not start"; }
  if [ "$4" = 1 ]; then
    # One kinit first: proves the realm works with MIT's own client.
    KRB5CCNAME=FILE:$mit/ccache kinit -k -t "$mit/mit.keytab" "$host\$@$realm" \
      || die "kinit against krb5kdc failed"
  fi
  measure "$1" "$4" "$kdc_pid" "$mit_port" "$mit/mit.keytab" "$2"
  stop "$kdc_pid"
}

# The KDCs take turns, round after round, so a change in the machine's other load falls on all.
for round in $(seq "$rounds"); do
  if [ "$run_trustsim" = 1 ]; then bench_trustsim "$round"; fi
  if [ "$run_mit" = 1 ]; then
    bench_mit mit "MIT krb5kdc ${mit_version:-} (defaults)" "" "$round"
    bench_mit mit_nowrite "MIT krb5kdc ${mit_version:-} (disable_last_success)" \
      "        disable_last_success = true
        disable_lockout = true" "$round"
  fi
done

# --- report -----------------------------------------------------------------------------------
python3 - "$work" "$connections" "$seconds" "$warmup" "$threads" "$rounds" <<'PY'
import glob, json, os, platform, sys

work, connections, seconds, warmup, threads, rounds = sys.argv[1:7]
order = [l.strip() for l in open(os.path.join(work, "order")) if l.strip()]
runs, chosen = {}, {}
for name in order:
    rs = [json.loads(open(f).readline()) for f in glob.glob(os.path.join(work, name + ".*.json"))]
    rs.sort(key=lambda r: r["requests_per_second"])
    runs[name] = rs
    chosen[name] = rs[(len(rs) - 1) // 2]  # the median round by exchanges/s

def cpu_us(r):
    done = r["exchanges"] + r["warmup_exchanges"]
    return 1e6 * r["kdc_cpu_seconds"] / done if done else float("nan")

header = ["KDC", "exchanges/s", "range", "p50 ms", "p99 ms", "max ms", "errors",
          "KDC CPU µs/exch", "listen drops"]
rows = []
for name in order:
    r, rs = chosen[name], runs[name]
    errors = sum(x["errors"] for x in rs)
    attempts = sum(x["errors"] + x["exchanges"] for x in rs)
    rows.append([r["label"], f'{r["requests_per_second"]:.0f}',
                 f'{rs[0]["requests_per_second"]:.0f}-{rs[-1]["requests_per_second"]:.0f}',
                 f'{r["p50_ms"]:.2f}', f'{r["p99_ms"]:.2f}', f'{r["max_ms"]:.1f}',
                 f'{errors} ({100 * errors / max(attempts, 1):.2f}%)', f"{cpu_us(r):.0f}",
                 str(r["listen_drops"])])
widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
def line(cells):
    return "  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i])
                     for i, c in enumerate(cells))
print()
print(line(header))
for row in rows:
    print(line(row))
ratios = []
if "trustsim" in chosen:
    t = chosen["trustsim"]
    for name in order:
        m = chosen[name]
        if name == "trustsim" or not (m["requests_per_second"] and m["p50_ms"] and m["p99_ms"]):
            continue
        ratios.append(f'trustsim vs {m["label"]}: {t["requests_per_second"] / m["requests_per_second"]:.2f}x '
                      f'the exchanges/s; p50 latency {t["p50_ms"] / m["p50_ms"]:.2f}x, '
                      f'p99 {t["p99_ms"] / m["p99_ms"]:.2f}x; CPU per exchange '
                      f'{cpu_us(t) / cpu_us(m):.2f}x')
print()
for r in ratios:
    print(r)

cpu = "?"
try:
    for l in open("/proc/cpuinfo"):
        if l.startswith("model name"):
            cpu = l.split(":", 1)[1].strip()
            break
except OSError:
    pass
print()
print("| KDC | exchanges/s | range over rounds | p50 (ms) | p99 (ms) | max (ms) | errors "
      "| KDC CPU per exchange (µs) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for row in rows:
    print(f"| {row[0]} | {row[1]} | {row[2]} | {row[3]} | {row[4]} | {row[5]} | "
          f"{row[6].split()[0]} | {row[7]} |")
print()
for r in ratios:
    print(f"- {r}")
print()
print(f"bench/kdc_vs_mit.sh: {connections} concurrent exchanges from one kdc_load process "
      f"({threads} thread{'s' if threads != '1' else ''}), {warmup} s warm-up then {seconds} s "
      f"measured per KDC, {rounds} round{'s' if rounds != '1' else ''} with the KDCs taking turns; "
      "each row is the median round by exchanges/s. An exchange is AS-REQ, KRB-ERROR 25, AS-REQ "
      "with PA-ENC-TIMESTAMP, AS-REP decrypted; each request on a new TCP connection to "
      f"127.0.0.1. {os.cpu_count()} CPUs ({cpu}), Linux {platform.release()}; the KDC and the "
      "load generator share them.")
PY
exit "$failed"
