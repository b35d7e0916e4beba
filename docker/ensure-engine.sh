#!/usr/bin/env bash
# Make sure a Docker engine answers, for tests and workshops (DESIGN.md, "The lab").
#
#   1. DOCKER_HOST is set and answers          -> use it
#   2. unix:///var/run/docker.sock answers     -> use it
#   3. root on Debian/Ubuntu (apt-get)         -> install what is missing, start dockerd
#   4. otherwise                               -> fail with a sentence saying what to do
#
# Then the lab's own tools (a static busybox for the lab image, compose, iproute2,
# nsenter) must be there too: installed as root on Debian/Ubuntu, else named in the
# failure.
#
# An engine that already answers is never stopped or reconfigured, and the
# fast paths make no apt calls when the tools are there (well under a second).
set -euo pipefail

readonly DEFAULT_SOCK=/var/run/docker.sock
readonly DEFAULT_HOST="unix://${DEFAULT_SOCK}"
readonly DOCKERD_LOG=/var/log/netdive-dockerd.log
readonly DOCKERD_PIDFILE=/var/run/docker.pid
readonly PACKAGES=(docker.io busybox-static iproute2 iptables docker-compose)
readonly WAIT_SECONDS=60

say() { printf 'netdive: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# shellcheck source=docker/apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

# The lab's tools, checked by what they do (Docker's own packages bring the compose plugin
# and no Debian docker-compose): each missing one as the Debian package that brings it.
lab_tools_missing() {
  local busybox=${NETDIVE_BUSYBOX:-/bin/busybox}
  if [[ ! -x "$busybox" ]] || { command -v ldd >/dev/null 2>&1 && ldd "$busybox" >/dev/null 2>&1; }; then
    echo busybox-static
  fi
  command -v ip >/dev/null 2>&1 || echo iproute2
  command -v nsenter >/dev/null 2>&1 || echo util-linux
  command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || echo docker-compose
}

# Called once an engine answers: installs the lab's missing tools (root on Debian/Ubuntu) or
# stops with their list; then exits 0.
done_with_lab_tools() {
  local missing
  mapfile -t missing < <(lab_tools_missing)
  if ((${#missing[@]})); then
    [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1 \
      || die "the lab and the tests also need ${missing[*]} (Debian's package names) — install them (as root: apt-get install ${missing[*]}), then re-run"
    say "installing ${missing[*]} for the lab (apt-get)"
    netdive_apt_install "${missing[@]}" || die "apt-get install ${missing[*]} failed — install them yourself, then re-run"
  fi
  exit 0
}

# Last error text of a probe, so the final message can tell "permission denied"
# apart from "nothing listens".
probe_err=""

# Does the engine at $1 (a DOCKER_HOST value) answer? `timeout` because a wedged
# engine can accept the connection and never reply.
answers() {
  local out
  command -v docker >/dev/null 2>&1 || { probe_err="docker CLI not installed"; return 1; }
  # -H and an empty DOCKER_CONTEXT so a configured CLI context cannot redirect the probe.
  if out=$(DOCKER_HOST= DOCKER_CONTEXT= timeout 10 docker -H "$1" version \
      --format '{{.Server.Version}}' 2>&1); then
    probe_err=""
    return 0
  fi
  probe_err=$out
  return 1
}

# --- 1. an explicit DOCKER_HOST -------------------------------------------
if [[ -n "${DOCKER_HOST:-}" ]]; then
  if answers "$DOCKER_HOST"; then
    say "Docker engine answers at DOCKER_HOST=$DOCKER_HOST"
    done_with_lab_tools
  fi
  say "warning: DOCKER_HOST=$DOCKER_HOST does not answer (${probe_err##*$'\n'}); trying $DEFAULT_HOST"
  say "warning: unset DOCKER_HOST so that netdive and its tests use $DEFAULT_HOST"
fi

# --- 2. the default socket ---------------------------------------------------
if answers "$DEFAULT_HOST"; then
  say "Docker engine answers at $DEFAULT_HOST"
  done_with_lab_tools
fi

# A socket we may not open: starting a second engine would not help.
if [[ -S "$DEFAULT_SOCK" && "$probe_err" == *"permission denied"* ]]; then
  die "the Docker engine at $DEFAULT_HOST refuses this user (permission denied) — run as root or add yourself to the docker group (then log in again)"
fi

# --- 3. start one ourselves (Debian/Ubuntu as root only) ---------------------
if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  why="this is not a Debian machine where netdive can start one as root"
  [[ $EUID -ne 0 ]] && command -v apt-get >/dev/null 2>&1 && why="netdive can only start one when run as root"
  die "no Docker engine answers at $DEFAULT_HOST and $why — start Docker, or set DOCKER_HOST"
fi

# Install only what is missing; `apt-get update` once, and only if needed.
mapfile -t missing < <(netdive_missing_packages "${PACKAGES[@]}")
if ((${#missing[@]})); then
  say "installing ${missing[*]} (apt-get)"
  netdive_apt_install "${missing[@]}" \
    || die "apt-get install ${missing[*]} failed — check the network/apt sources, or install them yourself, then re-run"
  # The docker.io postinst may have started an engine itself (systemd or init.d).
  if answers "$DEFAULT_HOST"; then
    say "Docker engine answers at $DEFAULT_HOST (started by the docker.io package)"
    done_with_lab_tools
  fi
fi

# Is it our dockerd (or the package's) still starting up? Then wait for it
# rather than start a second one that would fight over the same pidfile.
# Is pid $1 running? Not just `kill -0`: a killed dockerd can linger as a
# zombie when PID 1 (a container's or sandbox's init) reaps slowly.
running() {
  local st
  st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  st=${st##*) }
  [[ "${st%% *}" != Z ]]
}

dockerd_pid=""
if [[ -f "$DOCKERD_PIDFILE" ]]; then
  old=$(cat "$DOCKERD_PIDFILE" 2>/dev/null || true)
  if [[ "$old" =~ ^[0-9]+$ ]] && running "$old" && [[ "$(cat "/proc/$old/comm" 2>/dev/null || true)" == dockerd ]]; then
    say "a dockerd (pid $old) is running but does not answer yet; waiting for it"
    dockerd_pid=$old
  else
    # Stale pidfile from a dead engine (its pid may even be reused): dockerd
    # itself would refuse to start while it points at a live process.
    rm -f "$DOCKERD_PIDFILE"
  fi
fi

if [[ -z "$dockerd_pid" ]]; then
  # dockerd adopts the managed containerd named in this pidfile if `kill -0`
  # succeeds, which it also does for a zombie left by a killed engine; it then
  # times out waiting for that containerd's socket. A pid not running is stale.
  ctr_pidfile=/var/run/docker/containerd/containerd.pid
  ctr=$(cat "$ctr_pidfile" 2>/dev/null || true)
  if [[ "$ctr" =~ ^[0-9]+$ ]] && ! running "$ctr"; then
    rm -f "$ctr_pidfile"
  fi
  say "starting dockerd (log: $DOCKERD_LOG)"
  mkdir -p "$(dirname "$DOCKERD_LOG")"
  printf '\n=== netdive: dockerd started %s ===\n' "$(date -u +%FT%TZ)" >>"$DOCKERD_LOG"
  # setsid: own session and process group, so it survives this script and the
  # calling pnpm process (which may signal its whole group); nohup and
  # </dev/null: no terminal to hang up on or read from.
  setsid nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
  dockerd_pid=$!
fi

# Alive = the pid we know, or whatever dockerd wrote to its pidfile (setsid
# forks when it happens to be a process-group leader).
alive() {
  running "$dockerd_pid" && return 0
  local p
  p=$(cat "$DOCKERD_PIDFILE" 2>/dev/null || true)
  [[ "$p" =~ ^[0-9]+$ ]] && running "$p"
}

fail_start() {
  say "$1; last 20 lines of $DOCKERD_LOG:"
  tail -n 20 "$DOCKERD_LOG" | sed 's/^/  | /' >&2
  hint="fix the error above (or start Docker yourself / set DOCKER_HOST), then re-run"
  if tail -n 40 "$DOCKERD_LOG" | grep -qiE 'iptables|nf_tables|NAT chain'; then
    hint="dockerd could not set up iptables — try the other backend (update-alternatives --set iptables /usr/sbin/iptables-legacy, or iptables-nft), or start Docker yourself / set DOCKER_HOST, then re-run"
  fi
  die "$hint"
}

deadline=$((SECONDS + WAIT_SECONDS))
until answers "$DEFAULT_HOST"; do
  alive || fail_start "dockerd exited before its API answered"
  ((SECONDS < deadline)) || fail_start "dockerd did not answer at $DEFAULT_HOST within ${WAIT_SECONDS}s"
  sleep 0.5
done
say "Docker engine answers at $DEFAULT_HOST (dockerd pid $(cat "$DOCKERD_PIDFILE" 2>/dev/null || echo "$dockerd_pid"), log $DOCKERD_LOG)"
done_with_lab_tools
