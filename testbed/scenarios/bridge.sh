#!/bin/sh
# Scenario: the guest kernel's own TCP and UDP between two network namespaces, through a
# bump-in-the-wire bridge: Panamax's `bridge` app, and with --rounds also a Linux bridge and
# DPDK 22.11 testpmd --forward-mode=io, on the same two NICs in the same boot.
#
#   testbed/vm.sh --nics virtio-modern@0,virtio-modern@1,virtio-modern@0,virtio-modern@1 \
#       --timeout 420 -- testbed/scenarios/bridge.sh               # short form (./panamax test)
#   testbed/vm.sh --nics ...same... --timeout 3000 --log /tmp/bridge.log \
#       -- testbed/scenarios/bridge.sh --rounds 3                  # the comparison
#
# NIC 0 (hub 0) and NIC 1 (hub 1): the bridge's two ports. NIC 2 (hub 0) is moved into network
# namespace "left" as 10.12.0.1/24, NIC 3 (hub 1) into "right" as 10.12.0.2/24; both keep the
# guest kernel's virtio_net driver. QEMU offers a hub port no checksum or segmentation offload,
# so each kernel computes every TCP/UDP checksum in software and verifies every one it receives.
# IPv6 is off in every namespace: no router solicitations or DAD frames between the runs.
#
# Forwarders: panamax (./panamax bridge NIC0 NIC1 $PANAMAX_OPTS), panamax-backoff (the same
# with --backoff), linux (br0 with both NICs on virtio_net), dpdk (both NICs on vfio-pci,
# testpmd -l 0-1 --in-memory --iova-mode=pa, io forwarding, busy polling). Each run: an uncounted iperf3 TCP warm-up of WARMUP_SECONDS (the
# JIT), ping (PINGS echoes, 10 ms apart), iperf3 TCP for TCP_SECONDS, iperf3 UDP at UDP_RATE
# for UDP_SECONDS (left out when 0), sockperf ping-pong (UDP, 14 B messages, round-trip times)
# for SOCKPERF_SECONDS.
# PANAMAX_OPTS is empty by default: busy polling, as testpmd does.
# Short form (no --rounds): panamax only, WARMUP_SECONDS=0, PINGS=100, TCP_SECONDS=5,
# UDP_SECONDS=0, SOCKPERF_SECONDS=5. With --rounds N: every forwarder in each round, the order
# rotated by one per round (panamax panamax-backoff linux dpdk, then panamax-backoff linux dpdk
# panamax, ...); defaults WARMUP_SECONDS=5, TCP_SECONDS=30, UDP_SECONDS=10, UDP_RATE=10M,
# SOCKPERF_SECONDS=10.
#
# Prints each tool's output prefixed [fwd], and machine-readable lines:
#   PING fwd round transmitted received loss%         TCP fwd round receiver-Mbit/s bytes retr
#   UDP fwd round receiver-Mbit/s lost total          RTT fwd round n p50 p99 p99.9 max (usec)
#   CURVE fwd round percentile usec   (with --rounds: the percentile curve of every run)
#   MEAN fwd tcp-Mbit/s udp-loss% p50 p99 p99.9 max   (with --rounds: means over the rounds)
#   RATIO panamax/fwd tcp, rtt p50, p99               (with --rounds: Panamax's means / fwd's)
# Exit status 0 only if every ping was answered, every iperf3 and sockperf run ended without
# error with bytes received, and every forwarder started and stopped cleanly.
. "$(dirname "$0")/lib.sh"
ROUNDS=0
case "${1:-}" in
  --rounds) ROUNDS="${2:?--rounds needs a number}" ;;
  "") ;;
  *) echo "usage: bridge.sh [--rounds N]"; exit 2 ;;
esac
if [ "$ROUNDS" -gt 0 ]; then
  FORWARDERS="${FORWARDERS:-panamax panamax-backoff linux dpdk}"
  TCP_SECONDS="${TCP_SECONDS:-30}" UDP_SECONDS="${UDP_SECONDS:-10}"
  SOCKPERF_SECONDS="${SOCKPERF_SECONDS:-10}" WARMUP_SECONDS="${WARMUP_SECONDS:-5}"
else
  FORWARDERS=panamax ROUNDS=1
  TCP_SECONDS="${TCP_SECONDS:-5}" UDP_SECONDS="${UDP_SECONDS:-0}"
  SOCKPERF_SECONDS="${SOCKPERF_SECONDS:-5}" WARMUP_SECONDS="${WARMUP_SECONDS:-0}"
fi
PINGS="${PINGS:-100}"
PANAMAX_OPTS="${PANAMAX_OPTS:-}"
UDP_RATE="${UDP_RATE:-10M}"
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
P0="$(nic_pci 0)"
P1="$(nic_pci 1)"
LEFT_IP=10.12.0.1
RIGHT_IP=10.12.0.2
fail=0
RESULTS=/run/bridge.results
: > "$RESULTS"

die() { echo "bridge.sh: $*"; exit 2; }
[ -n "$(nic_pci 3)" ] || die "needs four NICs (see the header)"

# kernel_if PCI: the guest kernel's interface of a NIC, or nothing.
kernel_if() {
  for n in /sys/bus/pci/devices/"$1"/net/* /sys/bus/pci/devices/"$1"/virtio*/net/*; do
    [ -e "$n" ] && basename "$n" && return 0
  done
  return 1
}

# wait_if PCI: waits up to 10 s for the kernel to create the NIC's interface (after a rebind).
wait_if() {
  i=0
  while ! kernel_if "$1" > /dev/null && [ $i -lt 20 ]; do sleep 0.5; i=$((i + 1)); done
  kernel_if "$1"
}

no_ipv6() { # [namespace]
  ${1:+ip netns exec "$1"} sh -c 'for f in /proc/sys/net/ipv6/conf/*/disable_ipv6; do echo 1 > "$f"; done'
}

# Namespaces: NIC 2 -> left, NIC 3 -> right.
no_ipv6
for side in left right; do
  if [ $side = left ]; then pci="$(nic_pci 2)" ip_addr=$LEFT_IP; else pci="$(nic_pci 3)" ip_addr=$RIGHT_IP; fi
  ifname="$(kernel_if "$pci")" || die "no kernel interface for $pci (driver $(driver_of "$pci"))"
  ip netns add $side || die "ip netns add $side failed"
  ip link set "$ifname" netns $side || die "could not move $ifname into $side"
  no_ipv6 $side
  ip -n $side link set lo up
  ip -n $side addr add "$ip_addr/24" dev "$ifname"
  ip -n $side link set "$ifname" up || die "could not bring $ifname up in $side"
  echo "namespace $side: $ifname ($pci, $(driver_of "$pci")) $ip_addr/24"
done
echo "bridge ports: $P0 ($(nic_field 0 1)), $P1 ($(nic_field 1 1)); forwarders: $FORWARDERS; rounds: $ROUNDS"
echo "per run: warm-up ${WARMUP_SECONDS} s, ping $PINGS, TCP ${TCP_SECONDS} s, UDP ${UDP_SECONDS} s at $UDP_RATE, sockperf ${SOCKPERF_SECONDS} s; panamax options: ${PANAMAX_OPTS:-none (busy polling)}"

# ---------------------------------------------------------------- forwarders
FPID=""
# run_fwd PATTERN COMMAND...: starts a forwarder in the background, its output in /run/fwd.log,
# and waits until a line matches PATTERN (it forwards from then on).
run_fwd() {
  pattern=$1
  shift
  "$@" > /run/fwd.log 2>&1 &
  FPID=$!
  wait_for /run/fwd.log "$pattern" 300
}
start_panamax() { # [OPTION...]
  run_fwd "^bridge $P0 <-> $P1" "$REPO/panamax" bridge "$P0" "$P1" "$@"
}
stop_panamax() {
  kill -TERM "$FPID"
  wait "$FPID"
  rc=$?
  sed 's/^/[panamax] /' /run/fwd.log
  # 143 = 128 + SIGTERM: the JVM ends with the signal's status after the bridge's clean stop.
  [ $rc = 143 ] && grep -q '^bridge: forwarded .*, stopped by signal$' /run/fwd.log
}

start_linux() {
  ip link add br0 type bridge || return 1
  for pci in "$P0" "$P1"; do
    ifname="$(wait_if "$pci")" || { echo "no kernel interface for $pci"; return 1; }
    ip link set "$ifname" master br0 && ip link set "$ifname" up || return 1
  done
  ip link set br0 up
  echo "linux bridge br0: $(ls /sys/class/net/br0/brif | tr '\n' ' ')"
}
stop_linux() {
  ip -s link show br0 | sed 's/^/[linux] /'
  ip link del br0 || return 1
  for pci in "$P0" "$P1"; do
    ifname="$(kernel_if "$pci")" && ip link set "$ifname" down && ip addr flush dev "$ifname"
  done
  return 0
}

bind_to() { # PCI DRIVER-OVERRIDE (empty: the kernel's own driver)
  d=/sys/bus/pci/devices/$1
  echo "$2" > "$d/driver_override"
  [ -L "$d/driver" ] && echo "$1" > "$d/driver/unbind"
  echo "$1" > /sys/bus/pci/drivers_probe
}
start_dpdk() {
  for pci in "$P0" "$P1"; do
    bind_to "$pci" vfio-pci
    [ "$(driver_of "$pci")" = vfio-pci ] || { echo "could not bind $pci to vfio-pci"; return 1; }
  done
  # A plain virtio NIC bypasses the emulated IOMMU: DPDK must hand it physical addresses.
  run_fwd 'io packet forwarding -' stdbuf -oL -eL dpdk-testpmd -l 0-1 --in-memory -a "$P0" -a "$P1" \
    --iova-mode=pa -- --forward-mode=io --total-num-mbufs=8192 --stats-period 10
}
stop_dpdk() {
  kill -INT "$FPID"
  wait "$FPID"
  rc=$?
  tr -d '\033' < /run/fwd.log | sed 's/\[2J\[1;1H//' | grep -v '^ *$' | sed 's/^/[dpdk] /'
  for pci in "$P0" "$P1"; do
    bind_to "$pci" ""
    wait_if "$pci" > /dev/null || { echo "$pci did not come back to the kernel"; rc=1; }
  done
  [ $rc = 0 ]
}

# ---------------------------------------------------------------- measurements
in_left() { ip netns exec left "$@"; }
in_right() { ip netns exec right "$@"; }

measure() { # fwd round
  f=$1 r=$2 tag="[$1]"
  if [ "$WARMUP_SECONDS" -gt 0 ]; then
    in_right iperf3 -s -1 -p 5202 > /dev/null 2>&1 &
    wpid=$!
    sleep 1
    in_left iperf3 -c $RIGHT_IP -p 5202 -t "$WARMUP_SECONDS" -f m > /run/warmup.log 2>&1
    echo "$tag warm-up (not counted): $(grep ' receiver$' /run/warmup.log)"
    kill "$wpid" 2> /dev/null
    wait "$wpid" 2> /dev/null
  fi
  in_left ping -n -q -c "$PINGS" -i 0.01 -W 2 $RIGHT_IP > /run/ping.log 2>&1
  prc=$?
  sed "s/^/$tag /" /run/ping.log
  awk -v f="$f" -v r="$r" '/packets transmitted/ { print "PING", f, r, $1, $4, $6 }' /run/ping.log | tee -a "$RESULTS"
  [ $prc = 0 ] || { echo "$tag ping failed (exit $prc)"; fail=1; }

  in_right iperf3 -s -p 5201 > /run/iperf3-server.log 2>&1 &
  spid=$!
  sleep 1
  in_left iperf3 -c $RIGHT_IP -p 5201 -t "$TCP_SECONDS" -f m > /run/tcp.log 2>&1
  trc=$?
  sed "s/^/$tag /" /run/tcp.log
  # The receiver's line: [  5]   0.00-5.04   sec  41.2 MBytes  68.6 Mbits/sec   receiver
  awk -v f="$f" -v r="$r" '/ sender$/ { retr = $9 } / receiver$/ { mb = $5; rate = $7 }
    END { if (rate != "") printf "TCP %s %s %s %.0f %s\n", f, r, rate, mb * 1048576, retr }' /run/tcp.log \
    | tee -a "$RESULTS"
  if [ $trc != 0 ] || grep -q 'iperf3: error' /run/tcp.log || ! grep -q ' receiver$' /run/tcp.log; then
    echo "$tag iperf3 TCP failed (exit $trc)"
    fail=1
  fi
  if [ "$UDP_SECONDS" -gt 0 ]; then
    in_left iperf3 -c $RIGHT_IP -p 5201 -u -b "$UDP_RATE" -t "$UDP_SECONDS" -f m > /run/udp.log 2>&1
    urc=$?
    sed "s/^/$tag /" /run/udp.log
    # [  5]   0.00-10.04  sec  113 MBytes  94.6 Mbits/sec  0.058 ms  12/81920 (0.015%)  receiver
    awk -v f="$f" -v r="$r" '/ receiver$/ { split($(NF-2), lt, "/"); print "UDP", f, r, $7, lt[1], lt[2] }' /run/udp.log \
      | tee -a "$RESULTS"
    if [ $urc != 0 ] || grep -q 'iperf3: error' /run/udp.log; then
      echo "$tag iperf3 UDP failed (exit $urc)"
      fail=1
    fi
  fi
  kill "$spid" 2> /dev/null
  wait "$spid" 2> /dev/null

  in_right sockperf server -i $RIGHT_IP -p 11111 > /run/sockperf-server.log 2>&1 &
  spid=$!
  sleep 1
  csv=/run/sockperf.$f.$r.csv
  in_left sockperf ping-pong -i $RIGHT_IP -p 11111 -t "$SOCKPERF_SECONDS" --full-rtt --no-rdtsc \
    --full-log "$csv" > /run/sockperf.log 2>&1
  src=$?
  kill "$spid" 2> /dev/null
  wait "$spid" 2> /dev/null
  # Without the colour escapes and the repeated parameter block.
  tr -d '\033' < /run/sockperf.log | sed 's/\[[0-9;]*m//g' | sed -n '/^-----/q;p' | sed "s/^/$tag /"
  if [ $src != 0 ] || ! grep -q 'Summary: Round trip is' /run/sockperf.log; then
    echo "$tag sockperf failed (exit $src)"
    fail=1
    return
  fi
  # Percentiles of every round trip in the full log (column 4, usec), nearest rank.
  awk -F', *' '$1 ~ /^[0-9]+$/ && NF >= 4 { print $4 }' "$csv" | sort -n > /run/rtt.sorted
  awk -v f="$f" -v r="$r" -v curve="$CURVE" '
    { v[NR] = $1 }
    function at(p,  k) { k = int(p / 100 * NR + 0.999999); if (k < 1) k = 1; return v[k] }
    END {
      if (NR == 0) exit
      printf "RTT %s %s %d %s %s %s %s\n", f, r, NR, at(50), at(99), at(99.9), v[NR] > "/dev/stderr"
      if (curve) {
        for (p = 0; p < 90; p += 5) printf "CURVE %s %s %g %s\n", f, r, p, at(p)
        for (p = 90; p < 99; p += 1) printf "CURVE %s %s %g %s\n", f, r, p, at(p)
        n = split("99 99.5 99.9 99.95 99.99 100", q, " ")
        for (i = 1; i <= n; i++) printf "CURVE %s %s %s %s\n", f, r, q[i], at(q[i])
      }
    }' /run/rtt.sorted 2> /run/rtt.line
  tee -a "$RESULTS" < /run/rtt.line
}

CURVE=""
[ "${1:-}" = --rounds ] && CURVE=1
set -- $FORWARDERS
NF=$#
r=1
while [ $r -le "$ROUNDS" ]; do
  # Rotate: round r starts with forwarder ((r - 1) mod NF) + 1.
  k=0
  while [ $k -lt "$NF" ]; do
    idx=$(( (r - 1 + k) % NF + 1 ))
    eval "f=\${$idx}"
    echo "=== round $r: $f"
    case $f in
      # shellcheck disable=SC2086 # PANAMAX_OPTS is a list of options
      panamax) start=start_panamax stop=stop_panamax opts="$PANAMAX_OPTS" ;;
      panamax-backoff) start=start_panamax stop=stop_panamax opts=--backoff ;;
      linux|dpdk) start=start_$f stop=stop_$f opts="" ;;
      *) die "unknown forwarder '$f' (panamax, panamax-backoff, linux, dpdk)" ;;
    esac
    # shellcheck disable=SC2086
    if $start $opts; then
      measure "$f" "$r"
      $stop || { echo "[$f] did not stop cleanly"; fail=1; }
    else
      echo "[$f] did not start"
      sed "s/^/[$f] /" /run/fwd.log 2> /dev/null
      [ -z "$FPID" ] || kill -KILL "$FPID" 2> /dev/null
      fail=1
    fi
    FPID=""
    k=$((k + 1))
  done
  r=$((r + 1))
done

if [ -n "$CURVE" ]; then
  # Means over the rounds, per forwarder, and each one's ratio to Panamax's.
  awk '$1 == "TCP" { tcp[$2] += $4; nt[$2]++ }
    $1 == "UDP" && $6 > 0 { lost[$2] += $5; total[$2] += $6 }
    $1 == "RTT" { p50[$2] += $5; p99[$2] += $6; p999[$2] += $7; mx[$2] += $8; nr[$2]++ }
    END {
      for (f in nt) {
        t = tcp[f] / nt[f]; loss = total[f] ? 100 * lost[f] / total[f] : 0
        printf "MEAN %s tcp %.1f Mbit/s, udp loss %.3f%%, rtt p50 %.1f p99 %.1f p99.9 %.1f max %.1f usec (%d rounds)\n",
          f, t, loss, p50[f] / nr[f], p99[f] / nr[f], p999[f] / nr[f], mx[f] / nr[f], nt[f]
      }
      for (f in nt) if (f != "panamax" && nt["panamax"] && nr["panamax"] && nr[f])
        printf "RATIO panamax/%s tcp %.3f, rtt p50 %.3f p99 %.3f\n", f,
          (tcp["panamax"] / nt["panamax"]) / (tcp[f] / nt[f]),
          (p50["panamax"] / nr["panamax"]) / (p50[f] / nr[f]), (p99["panamax"] / nr["panamax"]) / (p99[f] / nr[f])
    }' "$RESULTS" | sort
fi
exit $fail
