#!/usr/bin/env bash
# The engine-facing integration tests on the newest Docker in Debian's archive, as a host runs it:
# once with the iptables firewall backend, once with nftables. `pnpm test` runs it after the
# whole suite has run on the system's engine (Debian 12's Docker 20.10).
#
#   NETDIVE_ENGINES="sid-iptables sid-nftables"   the default: both
#   NETDIVE_ENGINES=sid-nftables                  one of them
#   NETDIVE_ENGINES=system                        none (only the system's engine, run by vitest itself)
#   NETDIVE_MATRIX_TESTS="a.int.test.ts …"        other test files than the default focused set
#
# Each engine is a private dockerd (docker/private-engine.sh) in its own network namespace with
# its firewall on, from docker/newer-engine.sh's programs. The same test files run against it,
# not copies: vitest runs inside that namespace (nsenter --net) with DOCKER_HOST at its socket,
# so netdive reads that engine and that namespace as its host, the way it would on such a host.
#
# The focused set is the facts against independent reads (scenarios.int.test.ts) and the
# reachability explainer against live probes (reach.int.test.ts), and the drivers beyond the
# bridge (drivers.int.test.ts: macvlan) and gateway modes (gateway-modes.int.test.ts): what
# differs between engines.
set -euo pipefail

say() { printf 'netdive: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
readonly DEFAULT_TESTS="apps/server/test/scenarios.int.test.ts apps/server/test/reach.int.test.ts apps/server/test/evidence.int.test.ts apps/server/test/drivers.int.test.ts apps/server/test/gateway-modes.int.test.ts"
read -r -a engines <<<"${NETDIVE_ENGINES:-sid-iptables sid-nftables}"
read -r -a tests <<<"${NETDIVE_MATRIX_TESTS:-$DEFAULT_TESTS}"

wanted=()
for e in "${engines[@]}"; do
  case "$e" in
    system | 20.10) ;;
    sid-iptables | sid-nftables) wanted+=("$e") ;;
    *) die "NETDIVE_ENGINES: unknown engine \"$e\" — use system, sid-iptables and/or sid-nftables" ;;
  esac
done
((${#wanted[@]})) || { say "engine matrix: only the system's engine was asked for (NETDIVE_ENGINES=${NETDIVE_ENGINES:-})"; exit 0; }

skip="or set NETDIVE_ENGINES=system to test on the system's engine only"
[[ $EUID -eq 0 ]] || die "the engine matrix (${wanted[*]}) starts private engines and needs root — run as root, $skip"
command -v apt-get >/dev/null || die "the engine matrix takes its newer Docker from Debian's archive and needs apt-get — run on Debian, $skip"
bin=$(bash "$here/newer-engine.sh") || die "the newer engine could not be had (see above) — fix that, $skip"
image=$(grep -oE '"netdive/lab:[a-z0-9.]+"' "$root/packages/model/src/lab.ts" | head -n 1 | tr -d '"')
[[ -n "$image" ]] || image=netdive/lab:latest

current=""
stop_current() {
  [[ -n "$current" ]] || return 0
  bash "$here/private-engine.sh" stop "$current" >/dev/null 2>&1 || true
  rm -rf "$current"
  current=""
}
trap stop_current EXIT

# A run killed midway (no trap) leaves its engine behind: stop those whose run is gone. Each
# run's engines are its own (the pid in the name), so two runs at once never meet.
for stale in /tmp/netdive-matrix-*-*/; do
  [[ -d "$stale" ]] || continue
  owner=${stale#/tmp/netdive-matrix-}
  owner=${owner%%-*}
  [[ "$owner" =~ ^[0-9]+$ ]] && ! kill -0 "$owner" 2>/dev/null || continue
  say "engine matrix: stopping the engine a killed run left in $stale"
  current=${stale%/}
  stop_current
done

failed=()
for e in "${wanted[@]}"; do
  firewall=${e#sid-}
  current="/tmp/netdive-matrix-$$-$firewall"
  started=$SECONDS
  NETDIVE_PRIVATE_BIN=$bin NETDIVE_PRIVATE_FIREWALL=$firewall bash "$here/private-engine.sh" start "$current"
  sock="unix://$current/docker.sock"
  docker save "$image" | DOCKER_HOST=$sock docker load -q >/dev/null \
    || die "loading $image into the $e engine failed — run pnpm engine first (it builds the image)"
  version=$(DOCKER_HOST=$sock docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')
  say "engine matrix: $e = Docker $version, firewall $firewall; ${tests[*]}"
  netns="/proc/$(cat "$current/docker.pid")/ns/net"
  # The engine's own CLI first on PATH: the tests' independent reads use it.
  # One file at a time: the files' live probes (ping -W 1) and the engine's rule rewrites for
  # each new network share two cores, and a probe starved past its second reads as unreachable.
  if ! (cd "$root" && nsenter --net="$netns" env PATH="$bin:$PATH" DOCKER_HOST="$sock" DOCKER_CONTEXT= NETDIVE_ENGINE_NAME="$e" \
      npx vitest run --project integration --no-file-parallelism "${tests[@]}"); then
    failed+=("$e")
    cp "$current/dockerd.log" "/tmp/netdive-matrix-$e.dockerd.log" 2>/dev/null || true
    say "engine matrix: $e FAILED; the engine's log: /tmp/netdive-matrix-$e.dockerd.log"
  fi
  stop_current
  say "engine matrix: $e took $((SECONDS - started)) s"
done

((${#failed[@]} == 0)) || die "engine matrix: the tests failed on ${failed[*]} (see above)"
say "engine matrix: passed on ${wanted[*]}"
