# Sourced by docker/ensure-*.sh: apt-get install for the lab and the tests, with one
# `apt-get update` per hour at most, so `pnpm test` on a fresh machine updates once even
# though two scripts install (the engine's packages, then Chromium).

readonly NETDIVE_APT_STAMP=/var/lib/apt/netdive-updated

# Another apt run (unattended-upgrades, a second terminal) holds dpkg's lock for a while: wait
# for it, up to five minutes, rather than fail at once.
readonly NETDIVE_APT_LOCK_WAIT=(-o DPkg::Lock::Timeout=300)

# Installs the packages named; returns non-zero (apt's output on stderr) when it cannot.
netdive_apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [[ -z "$(find "$NETDIVE_APT_STAMP" -mmin -60 2>/dev/null)" ]]; then
    apt-get "${NETDIVE_APT_LOCK_WAIT[@]}" update -q >&2 || return 1
    touch "$NETDIVE_APT_STAMP"
  fi
  apt-get "${NETDIVE_APT_LOCK_WAIT[@]}" install -y -q --no-install-recommends "$@" >&2
}

# The packages among those named that dpkg does not have installed, one per line.
netdive_missing_packages() {
  local pkg status
  for pkg in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || printf '%s\n' "$pkg"
  done
}
