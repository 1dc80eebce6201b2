#!/usr/bin/env bash
# Installs every Debian and npm package k8ts and its tests use. Idempotent; needs root.
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(etcd-server etcd-client containerd runc containernetworking-plugins iptables nftables conntrack iproute2 util-linux umoci busybox-static openssl podman docker-registry skopeo debootstrap gcc libc6-dev curl)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y "${missing[@]}"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# The images k8ts up serves from its local registry, built once per machine (cli/up/images).
node --import tsx cli/up/images/prebuild.ts
