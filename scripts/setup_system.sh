#!/usr/bin/env bash
# Installs the system packages the sandbox backends need and starts dockerd with flags that create no
# bridge, NAT or iptables rules (see ../shared/reference/sandbox.md). Safe to run repeatedly.
set -euo pipefail

need=()
command -v bwrap >/dev/null || need+=(bubblewrap)
command -v socat >/dev/null || need+=(socat)
command -v dockerd >/dev/null || need+=(docker.io)
command -v busybox >/dev/null || need+=(busybox-static)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup_system: missing ${need[*]}; run as root: sudo bash scripts/setup_system.sh" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ "$(id -u)" -eq 0 ] && ! docker info >/dev/null 2>&1; then
  root=/var/lib/mle-suite-docker
  mkdir -p "$root"
  nohup dockerd --bridge=none --iptables=false --ip-forward=false --ip-masq=false --ip6tables=false \
    --data-root "$root/data" --exec-root "$root/exec" --pidfile "$root/dockerd.pid" \
    >"$root/dockerd.log" 2>&1 &
  for _ in $(seq 1 50); do docker info >/dev/null 2>&1 && break; sleep 0.2; done
  docker info >/dev/null 2>&1 || { echo "setup_system: dockerd did not start, see $root/dockerd.log" >&2; exit 1; }
fi
echo "setup_system: bubblewrap $(bwrap --version | cut -d' ' -f2), docker $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo unavailable)"
