#!/usr/bin/env bash
# The main job: install what is missing, build, and run the scenario library
# with narrated output (scenarios/kerberos and scenarios/netlogon run real MIT
# kinit and an impacket MS-NRPC client against the served DCs). Extra arguments
# go to `trustsim run` (e.g. --json, --junit FILE, --seed N, or other scenario
# files).
set -euo pipefail
cd "$(dirname "$0")"
scripts/build.sh dev --target trustsim
if [ $# -eq 0 ]; then
  set -- scenarios/ scenarios/kerberos/ scenarios/netlogon/
fi
exec ./build/dev/cli/trustsim run "$@"
