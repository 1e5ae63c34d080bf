#!/usr/bin/env bash
# Installs the system packages the sandbox backends need and starts dockerd with flags that create no
# bridge, NAT or iptables rules (see ../shared/reference/sandbox.md). Safe to run repeatedly.
set -euo pipefail

need=()
command -v bwrap >/dev/null || need+=(bubblewrap)
command -v socat >/dev/null || need+=(socat)
command -v curl >/dev/null || need+=(curl)  # validate_submission.sh inside the sandbox
command -v dockerd >/dev/null || need+=(docker.io)
command -v busybox >/dev/null || need+=(busybox-static)
command -v g++ >/dev/null || need+=(build-essential)  # llama-cpp-python builds from source
command -v unshare >/dev/null || need+=(util-linux)  # Ray tests run in a loopback-only network namespace
command -v ip >/dev/null || need+=(iproute2)
ldconfig -p | grep -q 'libseccomp\.so\.2' || need+=(libseccomp2)  # pyseccomp: bwrap's seccomp filter
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup_system: missing ${need[*]}; run as root: sudo bash scripts/setup_system.sh" >&2
    exit 1
  fi
  # Wait for another apt/dpkg run (e.g. a parallel setup) instead of failing on its lock.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" >/dev/null
fi

# dockerd: only with flags that create no bridge, NAT, forwarding or iptables rules (no docker0).
if [ "$(id -u)" -eq 0 ] && ! docker info >/dev/null 2>&1; then
  root=/var/lib/mle-suite-docker
  mkdir -p "$root"
  if [ -f "$root/dockerd.pid" ] && ! kill -0 "$(cat "$root/dockerd.pid")" 2>/dev/null; then
    rm -f "$root/dockerd.pid"  # stale pid file from a previous boot; dockerd refuses to start with it
  fi
  # Its own session: a process-group kill anywhere in the test run must never reach the daemon.
  setsid nohup dockerd --bridge=none --iptables=false --ip-forward=false --ip-masq=false --ip6tables=false \
    --data-root "$root/data" --exec-root "$root/exec" --pidfile "$root/dockerd.pid" \
    >"$root/dockerd.log" 2>&1 &
  for _ in $(seq 1 100); do docker info >/dev/null 2>&1 && break; sleep 0.2; done
  docker info >/dev/null 2>&1 || { echo "setup_system: dockerd did not start, see $root/dockerd.log" >&2; exit 1; }
fi
if [ -e /sys/class/net/docker0 ] || ip link show docker0 >/dev/null 2>&1; then
  echo "setup_system: docker0 exists: a dockerd with default flags made a bridge and NAT rules, which" \
       "must not exist here. Stop that dockerd, run 'ip link delete docker0', remove Docker's iptables" \
       "chains and set net.ipv4.ip_forward=0, then run this script again." >&2
  exit 1
fi
# The registry-free sandbox image (an empty rootfs; the host's /usr and Python are bound at run time).
if docker info >/dev/null 2>&1; then
  python3 "$(dirname "$0")/../sandbox/docker/build_local_image.py" >/dev/null
fi
echo "setup_system: bubblewrap $(bwrap --version | cut -d' ' -f2), docker $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo unavailable)"
