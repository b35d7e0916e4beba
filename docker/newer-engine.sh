#!/usr/bin/env bash
# The newest Docker engine in Debian's archive, beside the system's own, for the engine matrix
# (DESIGN.md, "The lab"). Prints the directory that holds its programs:
#
#   bin=$(docker/newer-engine.sh)       # e.g. /var/cache/netdive/docker-sid/bin
#   NETDIVE_PRIVATE_BIN=$bin docker/private-engine.sh start /tmp/nd28 ...
#
# It reads Debian's newest suite (sid) with a private sources file and a private state
# directory, so the system's apt sources and lists are never touched; downloads the docker.io
# containerd and docker-cli packages there and unpacks them with `dpkg-deb -x` (nothing is
# installed). From them the directory links dockerd, docker-proxy, containerd,
# containerd-shim-runc-v2 and the docker CLI (the matrix's tests use it: Docker 29 refuses
# bookworm's CLI, which speaks API 1.41);
# runc and docker-init are this system's (bookworm's runc and tini): sid's runc needs a newer
# glibc. nftables (for the nftables firewall backend) is installed from the system's suite.
#
# A cache that already holds a working dockerd is used as is (no network); set
# NETDIVE_NEWER_ENGINE_REFRESH=1 to fetch again. NETDIVE_NEWER_ENGINE_CACHE moves the cache.
set -euo pipefail

say() { printf 'netdive: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

readonly CACHE=${NETDIVE_NEWER_ENGINE_CACHE:-/var/cache/netdive/docker-sid}
readonly SUITE=sid
readonly BIN="$CACHE/bin"
readonly PACKAGES=(docker.io containerd docker-cli)
readonly FROM_PACKAGES=(usr/sbin/dockerd usr/sbin/docker-proxy usr/bin/containerd usr/bin/containerd-shim-runc-v2 usr/bin/docker)
readonly FROM_SYSTEM=(runc docker-init)

# shellcheck source=docker/apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

[[ $EUID -eq 0 ]] || die "fetching and running a newer Docker needs root — run as root"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null \
  || die "the newer engine comes from Debian's archive and needs apt-get and dpkg-deb — run on Debian"

usable() {
  [[ -x "$BIN/dockerd" && -x "$BIN/docker" ]] && "$BIN/dockerd" --version >/dev/null 2>&1 \
    && "$BIN/docker" --version >/dev/null 2>&1
}

# The mirror this system already uses for Debian (deb822 or one-line sources), else Debian's CDN.
system_mirror() {
  local uri
  uri=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list \
    | grep -oE 'https?://[^ ]*/debian/?( |$)' | grep -v security | head -n 1 | tr -d ' ' || true)
  printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}

fetch() {
  local work="$CACHE/apt" mirror
  mirror=$(system_mirror)
  say "fetching ${PACKAGES[*]} from Debian $SUITE ($mirror) into $CACHE"
  rm -rf "$work" "$CACHE/root"
  mkdir -p "$work/lists/partial" "$work/archives/partial" "$CACHE/root"
  printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' "$mirror" "$SUITE" \
    >"$work/sources.list"
  local opts=(-q -o "Dir::Etc::sourcelist=$work/sources.list" -o Dir::Etc::sourceparts=/dev/null
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::Archives=$work/archives"
    -o APT::Sandbox::User=root)
  apt-get "${opts[@]}" update >&2 || die "apt-get update of Debian $SUITE failed — check the network to $mirror"
  (cd "$work" && apt-get "${opts[@]}" download "${PACKAGES[@]}" >&2) \
    || die "downloading ${PACKAGES[*]} from Debian $SUITE failed — check the network to $mirror"
  local pkg deb
  for pkg in "${PACKAGES[@]}"; do
    deb=$(compgen -G "$work/${pkg}_*.deb" | head -n 1) || die "apt-get download left no $pkg package — see its output above"
    dpkg-deb -x "$deb" "$CACHE/root"
  done
  rm -rf "$work"
}

link_programs() {
  local p sys
  rm -rf "$BIN"
  mkdir -p "$BIN"
  for p in "${FROM_PACKAGES[@]}"; do
    [[ -x "$CACHE/root/$p" ]] || die "the $SUITE packages hold no $p — its packaging changed; look in $CACHE/root"
    ln -s "$CACHE/root/$p" "$BIN/"
  done
  for p in "${FROM_SYSTEM[@]}"; do
    sys=$(command -v "$p") || die "$p is missing — install docker.io (it brings runc and docker-init)"
    ln -s "$sys" "$BIN/"
  done
}

mapfile -t missing < <(netdive_missing_packages nftables runc)
if ((${#missing[@]})); then
  say "installing ${missing[*]} (apt-get)"
  netdive_apt_install "${missing[@]}" || die "apt-get install ${missing[*]} failed — install them yourself, then re-run"
fi

if [[ "${NETDIVE_NEWER_ENGINE_REFRESH:-}" == 1 ]] || ! usable; then
  fetch
  link_programs
  usable || die "the $SUITE dockerd or docker in $BIN does not run here: $("$BIN/dockerd" --version 2>&1 | head -n 1)"
fi
say "newer engine: $("$BIN/dockerd" --version) in $BIN"
printf '%s\n' "$BIN"
