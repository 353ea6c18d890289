#!/usr/bin/env bash
# Installs every Debian package Stepline needs to build, test and benchmark.
# Idempotent: packages already present are skipped quickly.
set -euo pipefail
PKGS=(
  build-essential cmake ninja-build pkg-config
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev libsqlite3-dev libpq-dev libssl-dev
  libcli11-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-boto3 awscli wrk
)
# Node.js (for the JSONata reference benchmark) may come with the machine; Debian's
# nodejs conflicts with a newer npm, so take it from Debian only when none is there.
command -v node >/dev/null && command -v npm >/dev/null || PKGS+=(nodejs npm)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
