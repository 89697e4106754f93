#!/bin/sh
# Scenario: Panamax pktgen vs DPDK 22.11 testpmd --forward-mode=txonly (Debian packages), in
# the SAME guest, on two NICs of the same model, 60-byte frames, one generator at a time.
#
#   testbed/vm.sh --nics virtio-modern@0,virtio-modern@1,virtio-modern@0,virtio-modern@1 \
#       --timeout 900 -- testbed/scenarios/compare-dpdk.sh
#
# NIC 0: Panamax (sysfs, physical addresses: must not have iommu_platform).
# NIC 1: DPDK through vfio-pci. A plain virtio NIC bypasses the emulated IOMMU, so DPDK runs
#        with --iova-mode=pa (it programs the IOMMU 1:1 and hands the device physical
#        addresses); a virtio-modern-iommu NIC runs in DPDK's default IOVA mode (VA) instead.
# NIC 2, NIC 3: passive sinks on hub 0 and hub 1 (guest kernel virtio_net, link up). QEMU's
#        hub only forwards while some other port can receive: a NIC alone on its hub stalls
#        after one ring (256 frames). Frames go to 52:54:00:00:00:02, so the sinks' MAC filter
#        drops them inside QEMU and the guest kernel never sees them.
#
# Each round runs both generators for DURATION seconds; odd rounds Panamax first, even rounds
# DPDK first (host-load drift then hits both). Rate = packets sent / seconds sent:
#   Panamax: "pktgen: sent N" / --seconds (pktgen's own clock starts after the device opened;
#            JVM start-up is excluded, JIT warm-up is included).
#   DPDK:    "Accumulated forward statistics" TX-packets / time from testpmd's
#            "txonly packet forwarding" line (polled every 0.1 s) to the SIGINT that stops it
#            (EAL/mempool start-up excluded).
# Prints per round "ROUND r <gen> ...", then RATE panamax/dpdk (all rounds pooled) and RATIO,
# and a secondary "STEADY ..." line: the same from each run's second half (per-second stats).
# Env: DURATION (20), ROUNDS (2), BATCH (64), MBUFS (8192), DPDK_IOVA (auto|pa|va),
#      LIGHT (0): 1 runs pktgen --light, headers and sequence number only, the work testpmd's
#      txonly does per frame (the default writes and checksums the whole verifiable payload),
#      WARMUP (5): seconds of an uncounted Panamax run before round 1 (0 = none),
#      PANAMAX_HOME (the repo): a directory with the launcher `panamax` and
#      examples/target/{lib/,panamax-examples.jar}; point it at a copy when other builds may
#      rewrite the jars during the run (a half-written jar fails with "zip END header not found").
. "$(dirname "$0")/lib.sh"
DURATION="${DURATION:-20}"
ROUNDS="${ROUNDS:-2}"
BATCH="${BATCH:-64}"
MBUFS="${MBUFS:-8192}"
WARMUP="${WARMUP:-5}"
LIGHT_OPT=""
[ "${LIGHT:-0}" = 1 ] && LIGHT_OPT="--light"
DST=52:54:00:00:00:02
P_NIC="$(nic_pci 0)"
D_NIC="$(nic_pci 1)"
P_NAME="$(nic_field 0 1)"
D_NAME="$(nic_field 1 1)"
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
PANAMAX_HOME="${PANAMAX_HOME:-$REPO}"

die() { echo "compare-dpdk: $*"; exit 2; }
[ -n "$P_NIC" ] && [ -n "$D_NIC" ] || die "needs at least two NICs (see the header)"
[ "$P_NAME" != virtio-modern-iommu ] || die "NIC 0 is $P_NAME: Panamax needs a NIC without iommu_platform"
command -v dpdk-testpmd > /dev/null \
  || die "dpdk-testpmd not found; on the host: apt-get install dpdk dpdk-dev librte-net-virtio23 librte-mempool-ring23"

case "${DPDK_IOVA:-auto}" in
  auto) if [ "$D_NAME" = virtio-modern-iommu ]; then IOVA=""; else IOVA="--iova-mode=pa"; fi ;;
  pa) IOVA="--iova-mode=pa" ;;
  va) IOVA="--iova-mode=va" ;;
  *) die "DPDK_IOVA must be auto, pa or va" ;;
esac

uptime_s() { read -r up _ < /proc/uptime; echo "$up"; }

# Passive sinks: every other NIC that the guest kernel drives gets its link up.
i=2
while [ -n "$(nic_pci $i)" ]; do
  pci="$(nic_pci $i)"
  for n in /sys/bus/pci/devices/"$pci"/net/* /sys/bus/pci/devices/"$pci"/virtio*/net/*; do
    [ -e "$n" ] || continue
    ip link set "$(basename "$n")" up && echo "sink: NIC $i $pci $(basename "$n") up"
  done
  i=$((i + 1))
done
[ $i -gt 2 ] || echo "compare-dpdk: warning: no sink NICs; a NIC alone on its hub stalls after 256 frames"

# DPDK's NIC to vfio-pci (only this one; NIC 0 is unbound by Panamax itself).
d=/sys/bus/pci/devices/$D_NIC
[ -e "$d/iommu_group" ] || die "$D_NIC has no IOMMU group (no intel-iommu?)"
echo vfio-pci > "$d/driver_override"
[ -L "$d/driver" ] && echo "$D_NIC" > "$d/driver/unbind"
echo "$D_NIC" > /sys/bus/pci/drivers_probe
[ "$(driver_of "$D_NIC")" = vfio-pci ] || die "could not bind $D_NIC to vfio-pci (driver: $(driver_of "$D_NIC"))"
echo "dpdk NIC $D_NIC ($D_NAME) -> vfio-pci, iommu group $(basename "$(readlink "$d/iommu_group")"), ${IOVA:-default IOVA mode}"
echo "panamax NIC $P_NIC ($P_NAME); $ROUNDS rounds x $DURATION s each, 60 B frames, burst/batch $BATCH${LIGHT_OPT:+, pktgen $LIGHT_OPT}"

TOTALS=/run/compare-dpdk.totals
STEADY=/run/compare-dpdk.steady
: > "$TOTALS"
: > "$STEADY"

# stalled ROUND GEN PACKETS SECONDS: under 100 pps is a stuck TX queue, not a rate (seen once:
# Panamax's third open of NIC 0 in a boot sent 512 frames in 20 s). Such a run is left out of
# the pooled figures and makes the exit status 1.
stalled() {
  [ "$3" -ge "$(awk -v s="$4" 'BEGIN{printf "%d", s * 100}')" ] && return 1
  echo "ROUND $1 $2 STALLED: $3 packets in $4 s; left out of RATE/STEADY"
  return 0
}

run_panamax() { # round
  log=/run/panamax.$1.log
  # shellcheck disable=SC2086 # LIGHT_OPT is empty or one option
  "$PANAMAX_HOME/panamax" pktgen "$P_NIC" --seconds "$DURATION" --batch "$BATCH" --size 60 --dst "$DST" $LIGHT_OPT > "$log" 2>&1
  rc=$?
  sed 's/^/[panamax] /' "$log"
  n="$(sed -n 's/^pktgen: sent \([0-9]*\) packets.*/\1/p' "$log")"
  [ $rc = 0 ] && [ -n "$n" ] || { echo "ROUND $1 panamax FAILED (exit $rc)"; return 1; }
  echo "ROUND $1 panamax $n packets in $DURATION s = $(awk -v n="$n" -v s="$DURATION" 'BEGIN{printf "%.0f", n/s}') pps"
  stalled "$1" panamax "$n" "$DURATION" && return 1
  echo "panamax $n $DURATION $1" >> "$TOTALS"
  # Steady state: mean of the per-second TX Mbit/s of the second half of the run, in pps
  # (Panamax counts 60 + 24 bytes of wire overhead = 672 bits per frame; 1 Mbit/s ~ 1488 pps).
  awk -v r="$1" '$8 == "TX" && $12 == "Mbit/s" { m[++k] = $11 }
    END { for (i = int(k / 2) + 1; i <= k; i++) { t += m[i]; c++ }
          if (c) printf "ROUND %d STEADY panamax %.0f pps (last %d per-second lines)\n", r, t / c * 1e6 / 672, c }' "$log" \
    | tee -a "$STEADY"
}

run_dpdk() { # round
  log=/run/dpdk.$1.log
  # shellcheck disable=SC2086 # IOVA is empty or one option
  stdbuf -oL -eL dpdk-testpmd -l 0-1 --in-memory -a "$D_NIC" $IOVA -- \
    --forward-mode=txonly --txpkts=60 --burst="$BATCH" --eth-peer=0,"$DST" \
    --total-num-mbufs="$MBUFS" --stats-period 1 > "$log" 2>&1 &
  pid=$!
  waited=0
  while ! grep -q 'txonly packet forwarding -' "$log"; do
    if ! kill -0 $pid 2> /dev/null || [ $waited -ge 3000 ]; then
      kill -KILL $pid 2> /dev/null
      wait $pid
      sed 's/^/[dpdk] /' "$log"
      echo "ROUND $1 dpdk FAILED: testpmd did not start forwarding"
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  t0="$(uptime_s)"
  sleep "$DURATION"
  t1="$(uptime_s)"
  kill -INT $pid
  wait $pid
  # Without the screen-clearing escapes and the all-zero RX lines.
  tr -d '\033' < "$log" | sed 's/\[2J\[1;1H//' \
    | grep -Ev '^ *(RX-|Rx-pps)|NIC statistics for port|^ *$|^ *Throughput|^Port statistics' | sed 's/^/[dpdk] /'
  n="$(sed -n '/Accumulated forward statistics/,$s/^ *TX-packets: *\([0-9]*\).*/\1/p' "$log" | head -n 1)"
  [ -n "$n" ] || { echo "ROUND $1 dpdk FAILED: no forward statistics"; return 1; }
  secs="$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')"
  echo "ROUND $1 dpdk $n packets in $secs s = $(awk -v n="$n" -v s="$secs" 'BEGIN{printf "%.0f", n/s}') pps"
  stalled "$1" dpdk "$n" "$secs" && return 1
  echo "dpdk $n $secs $1" >> "$TOTALS"
  # Steady state: mean of testpmd's per-second Tx-pps of the second half of the run.
  awk -v r="$1" '$1 == "Tx-pps:" { m[++k] = $2 }
    END { for (i = int(k / 2) + 1; i <= k; i++) { t += m[i]; c++ }
          if (c) printf "ROUND %d STEADY dpdk %.0f pps (last %d per-second lines)\n", r, t / c, c }' "$log" \
    | tee -a "$STEADY"
}

# Warm-up (not counted): the first JVM of a boot loads the JDK and the jars over 9p into the
# guest's page cache; without this, round 1's Panamax figure came out 2-3x below round 2's.
if [ "$WARMUP" -gt 0 ]; then
  # shellcheck disable=SC2086 # LIGHT_OPT is empty or one option
  "$PANAMAX_HOME/panamax" pktgen "$P_NIC" --seconds "$WARMUP" --batch "$BATCH" --size 60 --dst "$DST" $LIGHT_OPT \
    > /run/panamax.warmup.log 2>&1
  echo "warm-up (not counted): $(tail -n 1 /run/panamax.warmup.log)"
fi

fail=0
r=1
while [ $r -le "$ROUNDS" ]; do
  if [ $((r % 2)) = 1 ]; then
    run_panamax $r || fail=1
    run_dpdk $r || fail=1
  else
    run_dpdk $r || fail=1
    run_panamax $r || fail=1
  fi
  awk -v r=$r '$4 == r { rate[$1] = $2 / $3 }
    END { if (rate["panamax"] > 0 && rate["dpdk"] > 0) printf "ROUND %d RATIO %.3f\n", r, rate["panamax"] / rate["dpdk"] }' "$TOTALS"
  r=$((r + 1))
done

# All rounds pooled: total packets / total seconds per generator.
awk '
  { n[$1] += $2; s[$1] += $3 }
  END {
    if (s["panamax"] > 0) printf "RATE panamax %.0f\n", n["panamax"] / s["panamax"]
    if (s["dpdk"] > 0) printf "RATE dpdk %.0f\n", n["dpdk"] / s["dpdk"]
    if (s["panamax"] > 0 && n["dpdk"] > 0)
      printf "RATIO %.3f\n", (n["panamax"] / s["panamax"]) / (n["dpdk"] / s["dpdk"])
  }' "$TOTALS"
# Secondary figure, JIT/start-up warm-up left out: mean of the rounds' steady-state rates.
awk '{ t[$4] += $5; c[$4]++ }
  END {
    if (c["panamax"] && c["dpdk"] && t["dpdk"] > 0)
      printf "STEADY panamax %.0f dpdk %.0f ratio %.3f\n", t["panamax"] / c["panamax"],
        t["dpdk"] / c["dpdk"], (t["panamax"] / c["panamax"]) / (t["dpdk"] / c["dpdk"])
  }' "$STEADY"
exit $fail
