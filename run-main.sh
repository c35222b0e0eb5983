#!/usr/bin/env bash
# The main job: install what is missing, build, and run trustsim's main job.
# Until the simulator lands this is the crypto self-check: known answers from
# RFC 3961/3962/4757, Samba and the derived Netlogon vectors.
set -euo pipefail
cd "$(dirname "$0")"
scripts/build.sh dev --target trustsim
exec ./build/dev/cli/trustsim selfcheck "$@"
