#!/usr/bin/env bash
# Every test: install what is missing, build everything, run ctest. The interop
# tests start real client programs (impacket under /usr/bin/python3) and fail,
# not skip, when those are missing.
set -euo pipefail
cd "$(dirname "$0")"
scripts/build.sh dev
exec ctest --preset dev -j"$(nproc)" "$@"
