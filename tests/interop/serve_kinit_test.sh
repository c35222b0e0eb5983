#!/usr/bin/env bash
# `trustsim serve` with real MIT tools: the JSON status line, kinit over UDP
# and over TCP, klist, kvno with the DC's key version, the request lines, and
# a clean stop on SIGINT; then the errors a user can make on the command line.
#
#   serve_kinit_test.sh TRUSTSIM SCENARIO_DIR
set -euo pipefail
trustsim=$1
scenarios=$2
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- serve stdout:" >&2; cat "$work/out" >&2 || true; exit 1; }

"$trustsim" serve "$scenarios/healthy-year.yaml" --json --dir "$work/served" >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 200); do [ -s "$work/out" ] && break; sleep 0.05; done
[ -s "$work/out" ] || fail "no status line"
read -r realm port conf keytab < <(python3 - "$work/out" <<'PY'
import json, sys
status = json.loads(open(sys.argv[1]).readline())
assert status["event"] == "serving", status
kdc = status["kdcs"][0]
assert kdc["address"] == "127.0.0.1" and kdc["tcp_port"] == kdc["udp_port"] > 0, kdc
print(status["realm"], kdc["tcp_port"], status["krb5_conf"], status["keytabs"]["WS01"])
PY
)
[ "$realm" = CORP.EXAMPLE.COM ] || fail "realm $realm"
grep -q "kdc = 127.0.0.1:$port" "$conf" || fail "krb5.conf does not name port $port"
export KRB5_CONFIG=$conf KRB5CCNAME=FILE:$work/ccache

# UDP (MIT's default for small requests).
KRB5_TRACE=$work/udp.trace kinit -k -t "$keytab" 'WS01$@CORP.EXAMPLE.COM' || fail "kinit over UDP"
grep -q "Sending initial UDP request to dgram 127.0.0.1:$port" "$work/udp.trace" || fail "not UDP"
klist_out=$(klist) || fail "klist"
[[ $klist_out == *"krbtgt/CORP.EXAMPLE.COM@CORP.EXAMPLE.COM"* ]] || fail "klist shows no TGT"
# healthy-year ends with WS01 at kvno 13 on DC01.
kvno_out=$(kvno host/ws01.corp.example.com) || fail "kvno"
[[ $kvno_out == *"host/ws01.corp.example.com@CORP.EXAMPLE.COM: kvno = 13"* ]] \
  || fail "kvno does not match the DC's: $kvno_out"

# TCP.
sed 's/^\[libdefaults\]/[libdefaults]\n    udp_preference_limit = 1/' "$conf" >"$work/tcp.conf"
KRB5_CONFIG=$work/tcp.conf KRB5_TRACE=$work/tcp.trace kinit -k -t "$keytab" 'WS01$' \
  || fail "kinit over TCP"
grep -q "Initiating TCP connection to stream 127.0.0.1:$port" "$work/tcp.trace" || fail "not TCP"

# Wrong key: a keytab whose key is not WS01's.
printf 'addent -password -p WS01$@CORP.EXAMPLE.COM -k 13 -e aes256-cts-hmac-sha1-96 -s CORP.EXAMPLE.COMhostws01.corp.example.com\nnot-the-password\nwkt %s\n' \
  "$work/wrong.keytab" | ktutil >/dev/null 2>&1
if kinit -k -t "$work/wrong.keytab" 'WS01$' 2>"$work/wrong.err"; then fail "a wrong key got a TGT"; fi
grep -q "Preauthentication failed" "$work/wrong.err" || fail "wrong key: $(cat "$work/wrong.err")"


# Netlogon and the endpoint mapper from the same status line, with impacket.
read -r netlogon_port epm_port < <(python3 -c '
import json, sys
s = json.loads(open(sys.argv[1]).readline())
print(s["netlogon"][0]["port"], s["epm"][0]["port"])' "$work/out")
client=$scenarios/netlogon/nrpc_client.py
# (Output is captured first: `| grep -q` would close the pipe early and, under
# pipefail, turn the client's BrokenPipeError into a failure.)
epm_out=$(TRUSTSIM_NETLOGON=127.0.0.1:$netlogon_port TRUSTSIM_EPM=127.0.0.1:$epm_port \
  /usr/bin/python3 "$client" epm) || fail "ept_map: $epm_out"
[[ $epm_out == *"ept_map: ncacn_ip_tcp:127.0.0.1[$netlogon_port]"* ]] \
  || fail "ept_map did not resolve Netlogon: $epm_out"
auth_out=$(TRUSTSIM_NETLOGON=127.0.0.1:$netlogon_port /usr/bin/python3 "$client" authenticate \
  --keytab "$keytab") || fail "Authenticate3 over serve: $auth_out"
[[ $auth_out == *"ServerCredential verified"* ]] || fail "Authenticate3 over serve: $auth_out"

kill -INT "$pid"
status=0
wait "$pid" || status=$?
pid=
[ "$status" -eq 0 ] || fail "serve exited $status on SIGINT"
[[ $(tail -1 "$work/out") == *'"event":"stopped"'* ]] || fail "no stopped line"
# KRB_ERR_RESPONSE_TOO_BIG: with every UDP reply "too big", MIT retries over TCP.
"$trustsim" serve "$scenarios/healthy-year.yaml" --json --max-udp-reply 64 --dir "$work/small" \
  >"$work/small.out" 2>&1 &
pid=$!
for _ in $(seq 200); do [ -s "$work/small.out" ] && break; sleep 0.05; done
KRB5_CONFIG=$work/small/krb5.conf KRB5_TRACE=$work/small.trace \
  kinit -k -t "$work/small/ws01.keytab" 'WS01$' || fail "kinit after RESPONSE_TOO_BIG"
grep -q "Sending initial UDP request" "$work/small.trace" || fail "no UDP attempt"
grep -q "Request or response is too big for UDP; retrying with TCP" "$work/small.trace" \
  || fail "no TCP retry: $(cat "$work/small.trace")"
kill -INT "$pid"
wait "$pid" || fail "serve --max-udp-reply exited non-zero"
pid=

# Request lines (flushed at the latest when serve stops).
python3 - "$work/out" <<'PY' || fail "request lines"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
requests = [l for l in lines if l["event"] == "request"]
assert any(r["transport"] == "udp" and r["reply"] == "AS-REP" for r in requests), requests
assert any(r["transport"] == "tcp" and r["reply"] == "AS-REP" for r in requests), requests
assert any(r["reply"] == "TGS-REP" for r in requests), requests
assert any(r["reply"].startswith("KDC_ERR_PREAUTH_FAILED") for r in requests), requests
PY

# Command-line errors are usage errors (exit 2) with a message.
for args in "--kdc nonsense" "--kdc 192.0.2.1:0" "--at yesterday" "--until 99999"; do
  status=0
  # shellcheck disable=SC2086
  "$trustsim" serve "$scenarios/healthy-year.yaml" $args >/dev/null 2>"$work/usage.err" || status=$?
  [ "$status" -eq 2 ] || fail "serve $args exited $status"
  [ -s "$work/usage.err" ] || fail "serve $args printed no error"
done
echo PASS
