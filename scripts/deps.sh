#!/usr/bin/env bash
# Installs the Debian packages zonegov needs, if they are missing.
#   scripts/deps.sh          build and run
#   scripts/deps.sh test     + what the tests need (cmocka, chromium)
#   scripts/deps.sh bench    + what the benchmarks need (nginx, wrk)
# Works as root or through sudo; does nothing when all is there.
set -euo pipefail

pkgs=(build-essential pkg-config git libmicrohttpd-dev libsqlite3-dev sqlite3 libjansson-dev libsodium-dev
      libinih-dev libgeos-dev nodejs npm)
pkgs+=(libxlsxwriter-dev libzip-dev libexpat1-dev)
case "${1:-}" in
  test)  pkgs+=(libcmocka-dev chromium fonts-noto-cjk clang-format) ;;
  bench) pkgs+=(nginx-light wrk) ;;
esac
# The ledger's export test reads the .xlsx back with LibreOffice (soffice --convert-to csv).
if [[ ${1:-} == test ]]; then pkgs+=(libreoffice-calc-nogui); fi

missing=()
for p in "${pkgs[@]}"; do
  # node and npm may come from elsewhere (e.g. a newer Node.js); accept them when on PATH.
  if [[ $p == nodejs ]] && command -v node >/dev/null; then continue; fi
  if [[ $p == npm ]] && command -v npm >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "installing: ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
