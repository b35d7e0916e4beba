#!/usr/bin/env bash
# Make sure the browser the end-to-end tests drive is there (DESIGN.md: playwright-core
# driving Debian's /usr/bin/chromium, never a downloaded browser).
#
#   1. NETDIVE_CHROMIUM or /usr/bin/chromium runs   -> use it (exit 0, no apt call)
#   2. root on Debian (apt-get has a `chromium`)    -> apt-get install chromium
#   3. otherwise                                    -> fail with a sentence saying what to install
set -euo pipefail

readonly CHROMIUM=${NETDIVE_CHROMIUM:-/usr/bin/chromium}

say() { printf 'netdive: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# shellcheck source=docker/apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

runs() { [[ -x "$CHROMIUM" ]] && timeout 20 "$CHROMIUM" --version >/dev/null 2>&1; }

if runs; then
  say "Chromium for the browser tests: $CHROMIUM"
  exit 0
fi
[[ -n "${NETDIVE_CHROMIUM:-}" ]] && die "NETDIVE_CHROMIUM=$CHROMIUM does not run — point it at a Chromium binary, or unset it to use Debian's /usr/bin/chromium"

if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  die "the browser tests need Chromium at $CHROMIUM and it is not there — install it (Debian: apt-get install chromium; elsewhere any Chromium, then set NETDIVE_CHROMIUM to its path), or run pnpm test as root on Debian/Ubuntu to have it installed"
fi

say "installing chromium for the browser tests (apt-get)"
if ! netdive_apt_install chromium; then
  # Ubuntu ships Chromium as a snap: its apt package is only a stub that needs snapd.
  die "apt-get could not install chromium — on Ubuntu install the snap (snap install chromium) and set NETDIVE_CHROMIUM=/snap/bin/chromium; elsewhere install Chromium yourself and set NETDIVE_CHROMIUM"
fi
runs || die "chromium was installed but $CHROMIUM --version does not run — see the lines above"
say "Chromium for the browser tests: $CHROMIUM"
