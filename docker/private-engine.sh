#!/usr/bin/env bash
# A private, throw-away second dockerd for tests that kill and restart an engine.
#
#   docker/private-engine.sh start  DIR [extra dockerd args...]
#   docker/private-engine.sh stop   DIR
#   docker/private-engine.sh status DIR   # exit 0 answers, 1 running but not answering, 3 not running
#
# Everything lives under DIR: socket DIR/docker.sock (use
# DOCKER_HOST=unix://DIR/docker.sock), data DIR/data, exec root DIR/exec,
# pidfile DIR/docker.pid, log DIR/dockerd.log. No bridge, no iptables, no
# ip_forward change: it must never touch the main engine or the host's network
# setup. Needs root. Removing DIR after `stop` is up to the caller.
#
# Two variables make it an engine as a real host runs it, for the engine matrix:
#   NETDIVE_PRIVATE_BIN=DIR       dockerd, containerd, shims, runc and docker-init
#                                 come from DIR first (docker/newer-engine.sh prints one)
#   NETDIVE_PRIVATE_FIREWALL=iptables|nftables
#                                 default bridge docker0, the firewall on with that
#                                 backend (Docker 28's DOCKER_FIREWALL_BACKEND), NAT
#                                 and ip_forward: all inside the engine's own network
#                                 namespace, so the host's tables are untouched.
#                                 Unset or "off": no bridge, no firewall (as above).
# With NETDIVE_PRIVATE_BIN it also gets a mount namespace of its own in which the system
# containerd's socket is hidden, so it runs the containerd it came with (see start).
# A program that should see what that engine's host sees (netdive, the tests) runs in
# its namespace: nsenter --net=/proc/$(cat DIR/docker.pid)/ns/net ...
#
# It runs in its own network namespace (unshare --net): dockerd started with
# `--bridge none` DELETES the interface docker0 it finds (libnetwork's
# removeDefaultBridgeInterface), which on the host is the main engine's
# default bridge. In its own namespace that finds nothing, and networks the
# tests create there (bridges, veths, DNS) stay out of the host's. The API
# socket is a file, so DOCKER_HOST works as usual; published ports are not
# reachable from the host.
#
# containerd: dockerd 20.10 uses the system containerd only if one listens at
# /run/containerd/containerd.sock; otherwise it starts its own "managed" one
# with state under DIR/exec/containerd and DIR/data/containerd. In both cases
# the containerd namespaces are unique to DIR, so two engines sharing a system
# containerd cannot see (or clean up) each other's containers.
set -euo pipefail

say() { printf 'netdive: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
usage() { die "usage: $0 start|stop|status DIR [extra dockerd args...]"; }

readonly WAIT_START=60   # seconds for the API to answer
# Seconds after SIGTERM before SIGKILL. dockerd gives each running container its
# stop timeout (10 s by default; `sh`/`sleep` as PID 1 ignore SIGTERM), so with
# running containers a graceful stop takes ~10 s and may end in SIGKILL: the
# leftovers (containerd, shims, mounts) are cleaned up below either way.
readonly WAIT_TERM=${NETDIVE_PRIVATE_STOP_WAIT:-10}

(($# >= 2)) || usage
cmd=$1
dir=$(realpath -m -- "$2")
shift 2

# Guard rails: never point at the main engine's paths.
case "$dir" in
  / | /var | /var/lib | /var/lib/docker* | /var/run | /var/run/docker* | /run | /run/docker* | /run/containerd*)
    die "refusing to use $dir: it belongs to the main engine — pick a scratch directory such as /tmp/ndpriv" ;;
esac
sock="$dir/docker.sock"
# A unix socket path must fit in 108 bytes (containerd's socket is deeper still).
((${#dir} <= 60)) || die "DIR path too long for unix sockets ($dir) — use a shorter one such as /tmp/ndpriv"

readonly host="unix://$sock" pidfile="$dir/docker.pid" log="$dir/dockerd.log"
readonly ctr_sock="$dir/exec/containerd/containerd.sock" ctr_pidfile="$dir/exec/containerd/containerd.pid"
# Unique per DIR, so a shared system containerd keeps the engines apart.
ns="ndpriv-$(printf '%s' "$dir" | sha256sum | cut -c1-12)"

answers() {
  DOCKER_HOST="$host" DOCKER_CONTEXT= timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

# Is pid $1 running? Not just `kill -0`: a killed process can linger as a
# zombie when PID 1 (a container's or sandbox's init) reaps slowly.
running() {
  local st
  st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  st=${st##*) }
  [[ "${st%% *}" != Z ]]
}

# Pid from a pidfile, only if that process runs and is what we expect.
live_pid() {  # $1 pidfile, $2 expected comm
  local p
  p=$(cat "$1" 2>/dev/null || true)
  [[ "$p" =~ ^[0-9]+$ ]] && running "$p" || return 1
  [[ "$(cat "/proc/$p/comm" 2>/dev/null || true)" == "$2" ]] || return 1
  printf '%s\n' "$p"
}

# SIGTERM, wait up to WAIT_TERM s, then SIGKILL and wait until it is gone.
terminate() {  # $1 pid, $2 name
  local pid=$1 deadline=$((SECONDS + WAIT_TERM))
  kill -TERM "$pid" 2>/dev/null || return 0
  while ((SECONDS < deadline)); do
    running "$pid" || return 0
    sleep 0.1
  done
  say "$2 (pid $pid) still running after ${WAIT_TERM}s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  while running "$pid"; do sleep 0.1; done
}

# Processes whose command line names this DIR's containerd socket or our unique
# namespace: the shims of our containers (only left over after an unclean stop).
our_shims() {
  local f p c
  for f in /proc/[0-9]*/cmdline; do
    p=${f#/proc/}; p=${p%/cmdline}
    c=$( { tr '\0' ' ' <"$f"; } 2>/dev/null || true)
    if [[ "$c" == *"-address $ctr_sock "* || "$c" == *"-namespace $ns "* ]]; then
      printf '%s\n' "$p"
    fi
  done
}

status() {
  local p
  if p=$(live_pid "$pidfile" dockerd); then
    if answers; then
      say "private engine at $host is running (dockerd pid $p) and answers"
      return 0
    fi
    say "private engine dockerd (pid $p) is running but does not answer at $host"
    return 1
  fi
  say "no private engine is running for $dir"
  return 3
}

start() {
  [[ $EUID -eq 0 ]] || die "starting a private dockerd needs root — run as root"
  local path=$PATH firewall=${NETDIVE_PRIVATE_FIREWALL:-off}
  if [[ -n "${NETDIVE_PRIVATE_BIN:-}" ]]; then
    [[ -x "$NETDIVE_PRIVATE_BIN/dockerd" ]] || die "NETDIVE_PRIVATE_BIN=$NETDIVE_PRIVATE_BIN holds no dockerd — run docker/newer-engine.sh, which prints the right directory"
    path="$NETDIVE_PRIVATE_BIN:$PATH"
  fi
  case "$firewall" in
    off | iptables) ;;
    nftables) command -v nft >/dev/null || die "the nftables backend needs nft — apt-get install nftables" ;;
    *) die "NETDIVE_PRIVATE_FIREWALL must be off, iptables or nftables, not \"$firewall\"" ;;
  esac
  PATH="$path" command -v dockerd >/dev/null || die "dockerd not found — install docker.io (apt-get install docker.io)"
  command -v unshare >/dev/null || die "unshare not found — install util-linux"
  if answers; then
    say "private engine at $host already answers"
    return 0
  fi
  mkdir -p "$dir/data" "$dir/exec"
  local pid
  if pid=$(live_pid "$pidfile" dockerd); then
    say "private dockerd (pid $pid) is running but not answering yet; waiting for it"
  else
    rm -f "$pidfile"
    # dockerd adopts the managed containerd named in this pidfile if `kill -0`
    # succeeds, which it does for a zombie: after a SIGKILL the old containerd
    # can linger as one for seconds, and dockerd then times out waiting for its
    # socket ("failed to start containerd"). A pid that is not running is stale.
    if [[ -f "$ctr_pidfile" ]] && ! live_pid "$ctr_pidfile" containerd >/dev/null; then
      rm -f "$ctr_pidfile"
    fi
    # Own (empty) config file: options in /etc/docker/daemon.json such as
    # "hosts" or "data-root" would clash with the main engine.
    echo '{}' >"$dir/daemon.json"
    printf '\n=== netdive: private dockerd started %s ===\n' "$(date -u +%FT%TZ)" >>"$log"
    local network=(--bridge none --iptables=false --ip-masq=false --ip-forward=false)
    local spaces=(--net) prelude='ip link set lo up'
    # A dockerd uses the system's containerd when one listens at /run/containerd (a Debian with
    # systemd runs bookworm's): a newer engine must use the containerd it came with. In a mount
    # namespace of its own (private propagation), an empty tmpfs hides that socket from it alone.
    if [[ -n "${NETDIVE_PRIVATE_BIN:-}" && -d /run/containerd ]]; then
      spaces=(--net --mount --propagation private)
      prelude="mount -t tmpfs -o size=64k,mode=0700 netdive-private /run/containerd && $prelude"
    fi
    local env=()
    case "$firewall" in
      off) ;;
      iptables) network=() ;;
      # Docker 29 has a flag for it; Docker 28 reads only the environment.
      nftables)
        network=()
        if PATH="$path" dockerd --help 2>/dev/null | grep -q -- '--firewall-backend'; then
          network=(--firewall-backend=nftables)
        else
          env=(DOCKER_FIREWALL_BACKEND=nftables)
        fi ;;
    esac
    # setsid/nohup: detached, so it outlives the calling script or test runner.
    # unshare --net runs dockerd in a new network namespace (see the top), with its
    # loopback up as on a host (docker-proxy listens there).
    setsid nohup env ${env[@]+"${env[@]}"} PATH="$path" unshare "${spaces[@]}" -- sh -c "$prelude"' && exec "$@"' sh dockerd \
      --host "$host" \
      --data-root "$dir/data" \
      --exec-root "$dir/exec" \
      --pidfile "$pidfile" \
      --config-file "$dir/daemon.json" \
      --containerd-namespace "$ns" \
      --containerd-plugins-namespace "$ns-plugins" \
      ${network[@]+"${network[@]}"} \
      "$@" >>"$log" 2>&1 </dev/null &
    pid=$!
  fi
  local deadline=$((SECONDS + WAIT_START))
  until answers; do
    if ! running "$pid" && ! live_pid "$pidfile" dockerd >/dev/null; then
      say "private dockerd exited before answering; last 20 lines of $log:"
      tail -n 20 "$log" | sed 's/^/  | /' >&2
      die "fix the error above, then run '$0 start $dir' again"
    fi
    if ((SECONDS >= deadline)); then
      say "private dockerd did not answer at $host within ${WAIT_START}s; last 20 lines of $log:"
      tail -n 20 "$log" | sed 's/^/  | /' >&2
      die "run '$0 stop $dir' and look at $log"
    fi
    sleep 0.3
  done
  say "private engine answers at $host (dockerd pid $(cat "$pidfile"), log $log)"
}

stop() {
  local p
  if p=$(live_pid "$pidfile" dockerd); then
    say "stopping private dockerd (pid $p)"
    terminate "$p" "private dockerd"
  else
    say "no private dockerd running for $dir"
  fi
  # A managed containerd normally exits with its dockerd; not after a SIGKILL.
  if p=$(live_pid "$ctr_pidfile" containerd); then
    say "stopping its leftover containerd (pid $p)"
    terminate "$p" "private containerd"
  fi
  # Leftover shims keep containers alive: kill each container's init (which
  # ends its pid namespace) and then the shim.
  local shim child
  for shim in $(our_shims); do
    say "killing leftover shim (pid $shim) and its container"
    for child in $(pgrep -P "$shim" || true); do kill -KILL "$child" 2>/dev/null || true; done
    terminate "$shim" "shim"
  done
  # Mounts a killed engine left under DIR (overlay2 layers, netns files, the
  # private bind of DIR/data/overlay2) would make `rm -rf DIR` fail.
  local m
  while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done < <(awk -v d="$dir/" 'index($5, d) == 1 { print length($5) "\t" $5 }' /proc/self/mountinfo \
             | sort -rn | cut -f2-)
  rm -f "$pidfile" "$sock"
  say "private engine for $dir stopped"
}

case "$cmd" in
  start) start "$@" ;;
  stop) (($# == 0)) || usage; stop ;;
  status) (($# == 0)) || usage; status ;;
  *) usage ;;
esac
