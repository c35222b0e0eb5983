#!/usr/bin/env bash
# Configures and builds one CMake preset (default: dev) after making sure the
# Debian packages are present.
#
# Usage: scripts/build.sh [PRESET] [extra cmake --build args...]
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"
shift || true
scripts/setup-debian.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j"$(nproc)" "$@"
