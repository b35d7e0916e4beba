#!/usr/bin/env bash
# Build the offline lab image netdive/lab:latest (DESIGN.md, "The lab").
#
# No registry is reachable on build machines or in a workshop room, so the
# image is a `docker import` of a tiny rootfs made from Debian's busybox-static.
# Idempotent: the image carries a content hash label, and an image with the
# same hash is kept as is.
#
#   NETDIVE_LAB_PULL=1   optional: try `docker pull busybox:stable` first and
#                        build from it (falls back to the local build).
#   NETDIVE_BUSYBOX=PATH optional: a static busybox other than /bin/busybox.
#
# Assumes an engine answers (see docker/ensure-engine.sh).
set -euo pipefail

readonly IMAGE=netdive/lab:latest
readonly BUSYBOX=${NETDIVE_BUSYBOX:-/bin/busybox}
# Bump when the rootfs recipe below changes in a way the applet list does not show.
readonly RECIPE_VERSION=1
readonly APPLETS=(
  sh ash ip ping ping6 nslookup wget httpd netstat sleep cat ls echo hostname
  ifconfig route nc true false env ps kill mkdir id grep sed head tail
  arp arping traceroute telnet ipcalc ipneigh brctl nsenter timeout
  cp mv rm ln touch chmod printf test '[' which uname date wc sort uniq cut tr
  tee find xargs awk vi less more mount umount df du free top uptime watch
  seq usleep dmesg sysctl udhcpc tc mktemp readlink realpath basename dirname
  stat tar gzip gunzip md5sum sha256sum whoami base64 hexdump od
)
readonly LABEL_HASH=io.netdive.lab-hash
readonly LABEL_KIND=io.netdive.lab-image

say() { printf 'netdive: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# Fail early and clearly when no engine answers (this script does not start one).
if ! out=$(timeout 10 docker version --format '{{.Server.Version}}' 2>&1); then
  die "no Docker engine answers (${out##*$'\n'}) — run 'bash docker/ensure-engine.sh' first, or set DOCKER_HOST"
fi

# The image this script built before (if any): dropped after a rebuild so
# that old builds do not pile up as <none> images.
old_id=$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
drop_old() {
  local new
  new=$(docker image inspect -f '{{.Id}}' "$IMAGE")
  if [[ -n "$old_id" && "$old_id" != "$new" ]]; then
    # Fails harmlessly if a container still uses it.
    docker image rm "$old_id" >/dev/null 2>&1 || true
  fi
}

current_hash() {
  docker image inspect -f "{{ index .Config.Labels \"$LABEL_HASH\" }}" "$IMAGE" 2>/dev/null || true
}

# --- optional: build from the registry's busybox -----------------------------
build_from_pull() {
  say "NETDIVE_LAB_PULL=1: trying 'docker pull busybox:stable' (30 s max)"
  timeout 30 docker pull -q busybox:stable >&2 || { say "pull failed; building from the local busybox-static instead"; return 1; }
  local base hash cid
  base=$(docker image inspect -f '{{.Id}}' busybox:stable)
  hash=$(printf 'pull %s recipe %s\n' "$base" "$RECIPE_VERSION" | sha256sum | cut -d' ' -f1)
  if [[ "$(current_hash)" == "$hash" ]]; then
    say "$IMAGE is up to date (hash ${hash:0:12}, from busybox:stable)"
    return 0
  fi
  # create + commit instead of `docker build`: no builder/buildx needed.
  cid=$(docker create --network none --label io.netdive.test=lab-build busybox:stable \
    sh -c 'mkdir -p /var/www /root && chmod 1777 /tmp && echo "netdive lab" > /var/www/index.html')
  if docker start -a "$cid" >&2 && docker commit -c 'CMD ["sh"]' \
      -c "LABEL $LABEL_KIND=1 $LABEL_HASH=$hash io.netdive.lab-source=busybox:stable" \
      "$cid" "$IMAGE" >/dev/null; then
    docker rm -f "$cid" >/dev/null
  else
    docker rm -f "$cid" >/dev/null 2>&1 || true
    say "could not build from busybox:stable; building from the local busybox-static instead"
    return 1
  fi
  drop_old
  say "built $IMAGE from busybox:stable (hash ${hash:0:12})"
}

if [[ "${NETDIVE_LAB_PULL:-0}" == 1 ]] && build_from_pull; then
  exit 0
fi

# --- default: import a rootfs made from busybox-static -----------------------
[[ -x "$BUSYBOX" ]] || die "$BUSYBOX not found — install Debian's busybox-static (apt-get install busybox-static), or set NETDIVE_BUSYBOX to a static busybox"
# A dynamic busybox would not run in a rootfs without libc.
if command -v ldd >/dev/null 2>&1 && ldd "$BUSYBOX" >/dev/null 2>&1; then
  die "$BUSYBOX is dynamically linked — install busybox-static (apt-get install busybox-static) instead of busybox"
fi

# Only applets this busybox really has (a missing one would be a dangling link).
mapfile -t have < <("$BUSYBOX" --list)
links=()
for a in "${APPLETS[@]}"; do
  for h in "${have[@]}"; do
    if [[ "$h" == "$a" ]]; then links+=("$a"); break; fi
  done
done
for a in sh ip ping nslookup wget httpd netstat; do
  [[ " ${links[*]} " == *" $a "* ]] || die "$BUSYBOX has no '$a' applet — install Debian's busybox-static"
done

hash=$( { sha256sum <"$BUSYBOX"; printf 'recipe %s applets %s\n' "$RECIPE_VERSION" "${links[*]}"; } \
  | sha256sum | cut -d' ' -f1)
if [[ "$(current_hash)" == "$hash" ]]; then
  say "$IMAGE is up to date (hash ${hash:0:12})"
  exit 0
fi

say "building $IMAGE from $BUSYBOX (${#links[@]} applets)"
root=$(mktemp -d "${TMPDIR:-/tmp}/netdive-lab.XXXXXX")
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,var/www,proc,sys,dev,home}
cp "$BUSYBOX" "$root/bin/busybox"
chmod 0755 "$root/bin/busybox"
for a in "${links[@]}"; do ln -s busybox "$root/bin/$a"; done
ln -s /bin/env "$root/usr/bin/env"   # for '#!/usr/bin/env sh' scripts
chmod 1777 "$root/tmp"
chmod 0700 "$root/root"
cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
nobody:x:65534:
EOF
echo 'netdive lab' >"$root/var/www/index.html"
# /etc/hosts, /etc/resolv.conf and /etc/hostname are bind-mounted by the engine.

tar --numeric-owner --owner=0 --group=0 -C "$root" -cf - . \
  | docker import \
      -c 'CMD ["sh"]' \
      -c 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' \
      -c "LABEL $LABEL_KIND=1 $LABEL_HASH=$hash io.netdive.lab-source=busybox-static" \
      -m "netdive lab image (busybox-static, recipe $RECIPE_VERSION)" \
      - "$IMAGE" >/dev/null
drop_old
say "built $IMAGE (hash ${hash:0:12})"
