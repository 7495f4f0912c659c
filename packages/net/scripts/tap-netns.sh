#!/usr/bin/env bash
# A Linux peer for @shoal/net: a TAP interface inside a network namespace of its own, bridged by socat to
# a UDP socket on 127.0.0.1 that the stack's UdpTunnelDevice reads and writes (one datagram per Ethernet
# frame). Linux's own ping, nc and curl then run inside the namespace as the stack's peers.
#
#   tap-netns.sh up      create the namespace, start socat, move the TAP in, address it (idempotent)
#   tap-netns.sh down    stop socat and delete the namespace (idempotent)
#   tap-netns.sh status  exit 0 when up, 1 when down
#   tap-netns.sh check   exit 0 when this machine can do it (root, /dev/net/tun, socat, ip), else say why
#
# Settings (environment):
#   SHOAL_NETNS      namespace name               (default shoal-net)
#   SHOAL_TAP        TAP name, <= 15 characters   (default shoaltap0)
#   SHOAL_LINUX_IP   Linux's address/prefix       (default 10.77.0.1/24)
#   SHOAL_STACK_PORT UDP port the stack listens on, 127.0.0.1 (default 47701)
#   SHOAL_SOCAT_PORT UDP port socat binds, 127.0.0.1          (default 47702)
#   SHOAL_RUN_DIR    where the socat pid and log go          (default /tmp/shoal-net)
#
# Only the namespace this script creates is touched: the TAP leaves the root namespace right after socat
# creates it, and the root namespace only sees two UDP sockets on 127.0.0.1. Every wait is bounded.
set -euo pipefail

NS="${SHOAL_NETNS:-shoal-net}"
TAP="${SHOAL_TAP:-shoaltap0}"
LINUX_IP="${SHOAL_LINUX_IP:-10.77.0.1/24}"
STACK_PORT="${SHOAL_STACK_PORT:-47701}"
SOCAT_PORT="${SHOAL_SOCAT_PORT:-47702}"
RUN_DIR="${SHOAL_RUN_DIR:-/tmp/shoal-net}"
PID_FILE="$RUN_DIR/$NS.socat.pid"
LOG_FILE="$RUN_DIR/$NS.socat.log"

die() { echo "tap-netns: $*" >&2; exit 2; }

check() {
  [ "$(id -u)" = 0 ] || { echo "tap-netns: needs root (network namespaces and TAP devices)" >&2; return 1; }
  [ -c /dev/net/tun ] || { echo "tap-netns: /dev/net/tun is missing (no TUN/TAP support here)" >&2; return 1; }
  command -v socat >/dev/null || { echo "tap-netns: socat is not installed (apt-get install socat)" >&2; return 1; }
  command -v ip >/dev/null || { echo "tap-netns: ip is not installed (apt-get install iproute2)" >&2; return 1; }
  # Can we actually make a namespace? (containers may forbid it even as root)
  local probe="shoal-probe-$$"
  if ! ip netns add "$probe" 2>/dev/null; then
    echo "tap-netns: cannot create network namespaces here (ip netns add failed)" >&2
    return 1
  fi
  ip netns del "$probe"
}

socat_alive() {
  [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

status() {
  ip netns list 2>/dev/null | grep -qw -- "$NS" && socat_alive && ip -n "$NS" link show "$TAP" >/dev/null 2>&1
}

down() {
  if [ -f "$PID_FILE" ]; then
    local pid
    pid="$(cat "$PID_FILE")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$PID_FILE"
  fi
  # A TAP left in the root namespace by an interrupted `up` (socat dead, link never moved).
  if ip -d link show "$TAP" 2>/dev/null | grep -q 'tun type tap'; then ip link del "$TAP" 2>/dev/null || true; fi
  if ip netns list 2>/dev/null | grep -qw -- "$NS"; then ip netns del "$NS"; fi
  rm -f "$LOG_FILE"
  rmdir "$RUN_DIR" 2>/dev/null || true
}

up() {
  if status; then echo "tap-netns: $NS already up"; return 0; fi
  down
  check || exit 1
  mkdir -p "$RUN_DIR"
  ip netns add "$NS"
  ip -n "$NS" link set lo up
  # The TAP's IPv6 chatter (router solicitations, MLD) is noise for an IPv4 stack.
  ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  # socat owns the TAP's file descriptor; UDP-DATAGRAM (unconnected) so an absent stack is not an error.
  setsid socat "TUN,tun-type=tap,iff-no-pi,tun-name=$TAP" \
    "UDP-DATAGRAM:127.0.0.1:$STACK_PORT,bind=127.0.0.1:$SOCAT_PORT" >"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  local ok=""
  for _ in $(seq 50); do
    if ip link show "$TAP" >/dev/null 2>&1; then ok=1; break; fi
    socat_alive || break
    sleep 0.1
  done
  if [ -z "$ok" ]; then
    local why
    why="$(cat "$LOG_FILE" 2>/dev/null || true)"
    down
    die "socat did not create $TAP within 5 s: $why"
  fi
  ip link set "$TAP" netns "$NS"
  ip -n "$NS" addr add "$LINUX_IP" dev "$TAP"
  ip -n "$NS" link set "$TAP" up
  echo "tap-netns: $NS up: $TAP $LINUX_IP <-> socat <-> udp 127.0.0.1:$SOCAT_PORT -> 127.0.0.1:$STACK_PORT"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  check) check ;;
  *) echo "usage: $0 up|down|status|check" >&2; exit 2 ;;
esac
