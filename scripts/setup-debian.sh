#!/usr/bin/env bash
# Installs the Debian 12 packages trustsim needs to build and test, and nothing
# else. Idempotent: when every package is present it changes nothing and does
# not touch the network.
#
# Usage: scripts/setup-debian.sh            (as root, or with sudo available)
set -euo pipefail

packages=(
  # Toolchain
  build-essential g++ clang cmake ninja-build pkg-config
  # Libraries
  libboost-dev libabsl-dev libgtest-dev libgmock-dev libbenchmark-dev libssl-dev
  libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libedit-dev
  # libFuzzer and sanitizer runtimes for the clang fuzz preset
  libclang-rt-14-dev
  # Interop peers: MIT krb5 clients and impacket under the system python3
  krb5-user python3 python3-impacket
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing missing Debian packages: ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "setup: not root and no sudo; install these as root: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
