#!/usr/bin/env bash
# `pnpm image [TAG]`: build netdive's container image, netdive:latest unless a tag is given.
#
#   1. the base image node:22-bookworm-slim (docker/base-image.sh: kept, pulled, or made offline)
#   2. the server bundle and the page, built on the host (docker/Dockerfile says why)
#   3. docker build with docker/Dockerfile; .dockerignore sends only those two folders
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
tag=${1:-netdive:latest}

say() { printf 'netdive: %s\n' "$*" >&2; }

bash docker/base-image.sh
say "building the server bundle and the page"
pnpm --silent --filter @netdive/web --filter @netdive/server build --logLevel warn
say "docker build -t $tag"
docker build -q -f docker/Dockerfile -t "$tag" . >/dev/null
say "built $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{ printf "%d MB", $1 / 1e6 }'))"
