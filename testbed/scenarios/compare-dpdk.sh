#!/bin/sh
# Scenario: Panamax next to DPDK 22.11 testpmd (Debian packages) in the SAME guest, on NICs of the
# same model, one program at a time, in up to three modes:
#
#   tx   pktgen                      vs testpmd --forward-mode=txonly
#   rx   recv --light                vs testpmd --forward-mode=rxonly   (a testpmd txonly feeds both)
#   fwd  fwd (TTL decrement)         vs testpmd --forward-mode=mac      (a testpmd txonly feeds both)
#
# Transmit only, four NICs (the short layout):
#   testbed/vm.sh --nics virtio-modern@0,virtio-modern@1,virtio-modern@0,virtio-modern@1 \
#       --timeout 900 -- testbed/scenarios/compare-dpdk.sh
# All modes, seven NICs (M = virtio-modern, e1000 or igb):
#   testbed/vm.sh --nics M@0,M@0,M@1,M@1,M@0,virtio-modern@1,virtio-modern@0 \
#       --timeout 2400 -- env MODES="tx rx fwd" testbed/scenarios/compare-dpdk.sh
#
# NIC 0: Panamax (pktgen, recv, fwd's first port), in its default DMA mode (auto: through VFIO,
#        as DPDK, since the guest's NICs have IOMMU groups). It must not have iommu_platform.
# NIC 1: DPDK through vfio-pci (txonly, rxonly, mac's first port). A plain virtio NIC bypasses the
#        emulated IOMMU, so DPDK runs with --iova-mode=pa (it programs the IOMMU 1:1 and hands the
#        device physical addresses); a virtio-modern-iommu NIC runs in DPDK's default IOVA mode.
# Seven-NIC layout, for rx and fwd:
#   NIC 2: fwd's second port (hub 1);  NIC 3: testpmd mac's second port (hub 1);
#   NIC 4: the feeder, testpmd txonly through vfio-pci on hub 0, burst 64, sending to NIC 0's MAC
#          while Panamax runs and to NIC 1's while DPDK runs; it starts before the program under
#          test and stops after it, so the program meets a steady offered load from its start;
#   NIC 5, NIC 6: passive sinks on hub 1 and hub 0 (guest kernel driver, link up).
# Four-NIC layout (tx only): NIC 0 on hub 0, NIC 1 on hub 1, NIC 2 and 3 sinks on hubs 0 and 1.
# QEMU's hub only forwards while some other port can receive (a NIC alone on its hub stalls
# after one ring); frames go to addresses the sinks' MAC filters drop inside QEMU, so the guest
# kernel never sees them.
#
# Each round runs both programs for DURATION seconds; odd rounds Panamax first, even rounds DPDK
# first (host-load drift then hits both). Rate = packets / seconds:
#   Panamax: tx "pktgen: sent N" / --seconds; rx "recv summary: received N frames in S s";
#            fwd "fwd: forwarded N packets in S s". Each app's clock starts after its devices
#            opened: JVM start-up is excluded, JIT warm-up is included.
#   DPDK:    "Accumulated forward statistics" TX-packets (tx, fwd) or RX-packets (rx) / time from
#            testpmd's "... packet forwarding" line (polled every 0.1 s) to the SIGINT that stops
#            it (EAL/mempool start-up excluded).
# Prints per round "ROUND r MODE gen ...", "ROUND r MODE SERIES gen ..." (mean kpps of each 10 s
# of the run: the warm-up climb) and "ROUND r MODE RATIO x", then per mode RATE MODE
# panamax/dpdk (all rounds pooled) and "RATIO MODE x", and a secondary "STEADY MODE ..." line:
# the same from each run's second half (per-second stats lines). Last, one "RESULT MODE pooled
# x steady y" line per mode.
# Env: MODES (tx), DURATION (20), ROUNDS (2), BATCH (64; pktgen/recv/fwd --batch, testpmd
#      --burst), SIZE (60; frame bytes without CRC, pktgen --size, testpmd --txpkts),
#      MBUFS (8192), DPDK_IOVA (auto|pa|va), LIGHT (0): 1 runs pktgen --light, headers and
#      sequence number only, the work testpmd's txonly does per frame (the default writes and
#      checksums the whole verifiable payload); recv always runs --light (any frames, counted,
#      not verified: rxonly's work), WARMUP (5): seconds of an uncounted pktgen run before round
#      1 (0 = none), PANAMAX_HOME (the repo): a directory with the launcher `panamax` and
#      examples/target/{lib/,panamax-examples.jar}; point it at a copy when other builds may
#      rewrite the jars during the run (a half-written jar fails with "zip END header not found"),
#      OLD (unset): a directory like PANAMAX_HOME with an older build; then that build's
#      Panamax takes DPDK's place (same NIC 0, same feeder, labelled "old"), and every RATIO and
#      RESULT is this build / the old one: an A/B of two builds (NICs 1 and 3 stay unused).
. "$(dirname "$0")/lib.sh"
MODES="${MODES:-tx}"
DURATION="${DURATION:-20}"
ROUNDS="${ROUNDS:-2}"
BATCH="${BATCH:-64}"
SIZE="${SIZE:-60}"
MBUFS="${MBUFS:-8192}"
WARMUP="${WARMUP:-5}"
LIGHT_OPT=""
[ "${LIGHT:-0}" = 1 ] && LIGHT_OPT="--light"
DST=52:54:00:00:00:02
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
PANAMAX_HOME="${PANAMAX_HOME:-$REPO}"
# B: the second program of each round, DPDK or (with OLD) the older build of Panamax.
B=dpdk
[ -n "${OLD:-}" ] && B=old

die() { echo "compare-dpdk: $*"; exit 2; }

for m in $MODES; do
  case "$m" in
    tx | rx | fwd) ;;
    *) die "MODES: '$m' is not a mode (tx, rx or fwd)" ;;
  esac
done
case "$SIZE" in
  '' | *[!0-9]*) die "SIZE must be a frame length of 60 to 1514 bytes, not '$SIZE'" ;;
esac
[ "$SIZE" -ge 60 ] && [ "$SIZE" -le 1514 ] || die "SIZE must be 60 to 1514 bytes, not $SIZE"

P_NIC="$(nic_pci 0)"
D_NIC="$(nic_pci 1)"
P_NAME="$(nic_field 0 1)"
D_NAME="$(nic_field 1 1)"
[ -n "$P_NIC" ] && [ -n "$D_NIC" ] || die "needs at least two NICs (see the header)"
[ "$P_NAME" != virtio-modern-iommu ] || die "NIC 0 is $P_NAME: Panamax needs a NIC without iommu_platform"
SEVEN=0
case " $MODES " in
  *" rx "* | *" fwd "*)
    SEVEN=1
    [ -n "$(nic_pci 6)" ] || die "modes rx and fwd need the seven-NIC layout (see the header)"
    PB_NIC="$(nic_pci 2)"
    DB_NIC="$(nic_pci 3)"
    S_NIC="$(nic_pci 4)"
    [ "$(nic_field 2 1)" = "$P_NAME" ] && [ "$(nic_field 3 1)" = "$D_NAME" ] && [ "$(nic_field 4 1)" = "$D_NAME" ] \
      || die "NICs 0 to 4 must be one model (got $P_NAME $D_NAME $(nic_field 2 1) $(nic_field 3 1) $(nic_field 4 1))"
    ;;
esac
command -v dpdk-testpmd > /dev/null \
  || die "dpdk-testpmd not found; on the host: apt-get install dpdk dpdk-dev librte-net-virtio23 librte-net-e1000-23 librte-mempool-ring23"

case "${DPDK_IOVA:-auto}" in
  auto) if [ "$D_NAME" = virtio-modern-iommu ]; then IOVA=""; else IOVA="--iova-mode=pa"; fi ;;
  pa) IOVA="--iova-mode=pa" ;;
  va) IOVA="--iova-mode=va" ;;
  *) die "DPDK_IOVA must be auto, pa or va" ;;
esac

# Passive sinks: the guest kernel's NICs that no program uses get their link up.
if [ $SEVEN = 1 ]; then sinks="5 6"; else
  sinks=""
  i=2
  while [ -n "$(nic_pci $i)" ]; do sinks="$sinks $i"; i=$((i + 1)); done
fi
[ -n "$sinks" ] || echo "compare-dpdk: warning: no sink NICs; a NIC alone on its hub stalls after 256 frames"
for i in $sinks; do
  pci="$(nic_pci "$i")"
  for n in /sys/bus/pci/devices/"$pci"/net/* /sys/bus/pci/devices/"$pci"/virtio*/net/*; do
    [ -e "$n" ] || continue
    ip link set "$(basename "$n")" up && echo "sink: NIC $i $pci $(basename "$n") up"
  done
done

# DPDK's NICs to vfio-pci (only these; Panamax unbinds its own NICs itself).
to_vfio() { # PCI
  d=/sys/bus/pci/devices/$1
  [ -e "$d/iommu_group" ] || die "$1 has no IOMMU group (no intel-iommu?)"
  echo vfio-pci > "$d/driver_override"
  [ -L "$d/driver" ] && [ "$(driver_of "$1")" != vfio-pci ] && echo "$1" > "$d/driver/unbind"
  [ "$(driver_of "$1")" = vfio-pci ] || echo "$1" > /sys/bus/pci/drivers_probe
  [ "$(driver_of "$1")" = vfio-pci ] || die "could not bind $1 to vfio-pci (driver: $(driver_of "$1"))"
  echo "dpdk NIC $1 ($D_NAME) -> vfio-pci, iommu group $(basename "$(readlink "$d/iommu_group")"), ${IOVA:-default IOVA mode}"
}
to_vfio "$D_NIC"
[ $SEVEN = 1 ] && { to_vfio "$DB_NIC"; to_vfio "$S_NIC"; }
echo "panamax NIC $P_NIC ($P_NAME)${PB_NIC:+ and $PB_NIC}; modes $MODES; $ROUNDS rounds x $DURATION s each, $SIZE B frames, burst/batch $BATCH${LIGHT_OPT:+, pktgen $LIGHT_OPT}"

TOTALS=/run/compare-dpdk.totals
STEADY=/run/compare-dpdk.steady
: > "$TOTALS"
: > "$STEADY"

# stalled ROUND MODE GEN PACKETS SECONDS: under 100 pps is a stuck queue, not a rate (seen once:
# Panamax's third open of NIC 0 in a boot sent 512 frames in 20 s). Such a run is left out of
# the pooled figures and makes the exit status 1.
stalled() {
  [ "$4" -ge "$(awk -v s="$5" 'BEGIN{printf "%d", s * 100}')" ] && return 1
  echo "ROUND $1 $2 $3 STALLED: $4 packets in $5 s; left out of RATE/STEADY"
  return 0
}

# record ROUND MODE GEN PACKETS SECONDS: a run's rate line and its pooled-figure entry.
record() {
  echo "ROUND $1 $2 $3 $4 packets in $5 s = $(awk -v n="$4" -v s="$5" 'BEGIN{printf "%.0f", n/s}') pps"
  stalled "$@" && return 1
  echo "$2 $3 $4 $5 $1" >> "$TOTALS"
}

# steady ROUND MODE GEN LOG GROUP: mean of the second half of a run's per-second rates, in pps
# (also appended to $STEADY), and the run's mean rate per 10 s (the SERIES line, console only).
# Panamax prints a line per device and second ("ADDR RX 312 kpps 1.34 Mbit/s | TX ..."), testpmd
# a block per port and period ("Rx-pps: N ... Tx-pps: N"); GROUP lines make one second (the
# devices or ports), whose rates add up (rx: RX rates, tx and fwd: TX rates).
steady() {
  if [ "$2" = rx ]; then dir=RX; else dir=TX; fi
  awk -v r="$1" -v mode="$2" -v gen="$3" -v dir="$dir" -v g="$5" -v file="$STEADY" '
    function pps(v, unit) { return unit == "Mpps" ? v * 1e6 : unit == "kpps" ? v * 1e3 : v }
    # The rate of second q: its GROUP lines added up.
    function second(q,   j, sum) { for (j = 1; j <= g; j++) sum += v[(q - 1) * g + j]; return sum }
    gen != "dpdk" && $2 == "RX" && $8 == "TX" { v[++k] = dir == "RX" ? pps($3, $4) : pps($9, $10) }
    gen == "dpdk" && $1 == (dir == "RX" ? "Rx-pps:" : "Tx-pps:") { v[++k] = $2 }
    END {
      n = int(k / g)
      for (i = int(n / 2) + 1; i <= n; i++) { t += second(i); c++ }
      if (c) {
        line = sprintf("ROUND %d %s STEADY %s %.0f pps (last %d seconds)", r, mode, gen, t / c, c)
        print line
        print line >> file
      }
      # The climb, for the log only: mean kpps of each 10 s of the run (the last part may be
      # shorter).
      if (n) {
        line = sprintf("ROUND %d %s SERIES %s kpps per 10 s:", r, mode, gen)
        for (i = 1; i <= n; i += 10) {
          t = 0; c = 0
          for (q = i; q < i + 10 && q <= n; q++) { t += second(q); c++ }
          line = line sprintf(" %.1f", t / c / 1000)
        }
        print line
      }
    }' "$4"
}

# The feeder for rx and fwd: testpmd txonly on NIC 4, its forwarding lcore 0 (the programs under
# test poll on lcore 1 or wherever the kernel puts them).
FEEDER_PID=""
start_feeder() { # DESTINATION-MAC
  flog=/run/feeder.log
  # shellcheck disable=SC2086 # IOVA is empty or one option
  stdbuf -oL -eL dpdk-testpmd -l 0-1 --main-lcore 1 --in-memory --file-prefix pmxfeed -a "$S_NIC" $IOVA -- \
    --forward-mode=txonly --txpkts="$SIZE" --burst=64 --eth-peer=0,"$1" \
    --total-num-mbufs="$MBUFS" --stats-period 1 > "$flog" 2>&1 &
  FEEDER_PID=$!
  if ! wait_started "$flog" txonly $FEEDER_PID; then
    echo "feeder FAILED: testpmd txonly on $S_NIC did not start"
    FEEDER_PID=""
    return 1
  fi
}
stop_feeder() {
  [ -n "$FEEDER_PID" ] || return 0
  kill -INT "$FEEDER_PID"
  wait "$FEEDER_PID"
  FEEDER_PID=""
  n="$(sed -n '/Accumulated forward statistics/,$s/^ *TX-packets: *\([0-9]*\).*/\1/p' /run/feeder.log | head -n 1)"
  echo "feeder: testpmd txonly sent ${n:-?} frames while it ran"
}

# wait_started LOG FORWARD-MODE PID: until testpmd says it forwards (30 s at most).
wait_started() {
  waited=0
  while ! grep -q "$2 packet forwarding -" "$1"; do
    if ! kill -0 "$3" 2> /dev/null || [ $waited -ge 300 ]; then
      kill -KILL "$3" 2> /dev/null
      wait "$3"
      sed 's/^/[testpmd] /' "$1"
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

run_panamax() { # round mode [label home]: label panamax (PANAMAX_HOME) or old (OLD)
  gen="${3:-panamax}"
  home="${4:-$PANAMAX_HOME}"
  log=/run/$gen.$1.$2.log
  rc=0
  case "$2" in
    tx)
      # shellcheck disable=SC2086 # LIGHT_OPT is empty or one option
      "$home/panamax" pktgen "$P_NIC" --seconds "$DURATION" --batch "$BATCH" --size "$SIZE" \
        --dst "$DST" $LIGHT_OPT > "$log" 2>&1 || rc=$?
      n="$(sed -n 's/^pktgen: sent \([0-9]*\) packets.*/\1/p' "$log")"
      secs="$DURATION"
      group=1
      ;;
    rx)
      start_feeder "$(nic_mac 0)" || return 1
      "$home/panamax" recv "$P_NIC" --light --seconds "$DURATION" --batch "$BATCH" > "$log" 2>&1 || rc=$?
      stop_feeder
      n="$(sed -n 's/^recv summary: received \([0-9]*\) frames in .*/\1/p' "$log")"
      secs="$(sed -n 's/^recv summary: received [0-9]* frames in \([0-9.]*\) s.*/\1/p' "$log")"
      group=1
      ;;
    fwd)
      start_feeder "$(nic_mac 0)" || return 1
      "$home/panamax" fwd "$P_NIC" "$PB_NIC" --seconds "$DURATION" --batch "$BATCH" > "$log" 2>&1 || rc=$?
      stop_feeder
      n="$(sed -n 's/^fwd: forwarded \([0-9]*\) packets in .*/\1/p' "$log")"
      secs="$(sed -n 's/^fwd: forwarded [0-9]* packets in \([0-9.]*\) s.*/\1/p' "$log")"
      group=2
      ;;
  esac
  sed "s/^/[$gen] /" "$log"
  [ $rc = 0 ] && [ -n "$n" ] && [ -n "$secs" ] || { echo "ROUND $1 $2 $gen FAILED (exit $rc)"; return 1; }
  record "$1" "$2" "$gen" "$n" "$secs" || return 1
  steady "$1" "$2" "$gen" "$log" $group
}

run_dpdk() { # round mode
  if [ "$B" = old ]; then run_panamax "$1" "$2" old "$OLD"; return; fi
  log=/run/dpdk.$1.$2.log
  case "$2" in
    tx) ports="-a $D_NIC" fwd="txonly --txpkts=$SIZE --eth-peer=0,$DST" counter=TX group=1 ;;
    rx) ports="-a $D_NIC" fwd="rxonly" counter=RX group=1 ;;
    fwd) ports="-a $D_NIC -a $DB_NIC" fwd="mac --eth-peer=0,$DST --eth-peer=1,$DST" counter=TX group=2 ;;
  esac
  if [ "$2" != tx ]; then start_feeder "$(nic_mac 1)" || return 1; fi
  # shellcheck disable=SC2086 # IOVA, ports and fwd are word lists
  stdbuf -oL -eL dpdk-testpmd -l 0-1 --in-memory --file-prefix pmxtest $ports $IOVA -- \
    --forward-mode=$fwd --burst="$BATCH" --total-num-mbufs="$MBUFS" --stats-period 1 > "$log" 2>&1 &
  pid=$!
  if ! wait_started "$log" "${fwd%% *}" $pid; then
    stop_feeder
    echo "ROUND $1 $2 dpdk FAILED: testpmd did not start forwarding"
    return 1
  fi
  t0="$(uptime_s)"
  sleep "$DURATION"
  t1="$(uptime_s)"
  kill -INT $pid
  wait $pid
  stop_feeder
  # Without the screen-clearing escapes and the idle direction's lines (fwd: both directions).
  case "$2" in tx) idle='RX-|Rx-pps' ;; rx) idle='TX-|Tx-pps' ;; fwd) idle='NONE' ;; esac
  tr -d '\033' < "$log" | sed 's/\[2J\[1;1H//' \
    | grep -Ev "^ *($idle)|NIC statistics for port|^ *\$|^ *Throughput|^Port statistics" | sed 's/^/[dpdk] /'
  n="$(sed -n "/Accumulated forward statistics/,\$s/^ *$counter-packets: *\([0-9]*\).*/\1/p" "$log" | head -n 1)"
  [ -n "$n" ] || { echo "ROUND $1 $2 dpdk FAILED: no forward statistics"; return 1; }
  secs="$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')"
  record "$1" "$2" dpdk "$n" "$secs" || return 1
  steady "$1" "$2" dpdk "$log" $group
}

# Warm-up (not counted): the first JVM of a boot loads the JDK and the jars over 9p into the
# guest's page cache; without this, round 1's Panamax figure came out 2-3x below round 2's.
if [ "$WARMUP" -gt 0 ]; then
  # shellcheck disable=SC2086 # LIGHT_OPT is empty or one option
  "$PANAMAX_HOME/panamax" pktgen "$P_NIC" --seconds "$WARMUP" --batch "$BATCH" --size "$SIZE" --dst "$DST" $LIGHT_OPT \
    > /run/panamax.warmup.log 2>&1
  echo "warm-up (not counted): $(tail -n 1 /run/panamax.warmup.log)"
fi

fail=0
for mode in $MODES; do
  echo "=== mode $mode"
  r=1
  while [ $r -le "$ROUNDS" ]; do
    if [ $((r % 2)) = 1 ]; then
      run_panamax $r "$mode" || fail=1
      run_dpdk $r "$mode" || fail=1
    else
      run_dpdk $r "$mode" || fail=1
      run_panamax $r "$mode" || fail=1
    fi
    awk -v r=$r -v m="$mode" -v b=$B '$1 == m && $5 == r { rate[$2] = $3 / $4 }
      END { if (rate["panamax"] > 0 && rate[b] > 0) printf "ROUND %d %s RATIO %.3f\n", r, m, rate["panamax"] / rate[b] }' "$TOTALS"
    r=$((r + 1))
  done
done

for mode in $MODES; do
  # All rounds pooled: total packets / total seconds per program.
  awk -v m="$mode" -v b=$B '
    $1 == m { n[$2] += $3; s[$2] += $4 }
    END {
      if (s["panamax"] > 0) printf "RATE %s panamax %.0f\n", m, n["panamax"] / s["panamax"]
      if (s[b] > 0) printf "RATE %s %s %.0f\n", m, b, n[b] / s[b]
      if (s["panamax"] > 0 && n[b] > 0)
        printf "RATIO %s %.3f\n", m, (n["panamax"] / s["panamax"]) / (n[b] / s[b])
    }' "$TOTALS"
  # Secondary figure, JIT/start-up warm-up left out: mean of the rounds' steady-state rates.
  awk -v m="$mode" -v b=$B '$3 == m { t[$5] += $6; c[$5]++ }
    END {
      if (c["panamax"] && c[b] && t[b] > 0)
        printf "STEADY %s panamax %.0f %s %.0f ratio %.3f\n", m, t["panamax"] / c["panamax"], b,
          t[b] / c[b], (t["panamax"] / c["panamax"]) / (t[b] / c[b])
    }' "$STEADY"
done
if [ "$B" = old ]; then what="this build / the old one"; else what="Panamax/DPDK"; fi
echo "=== summary: $what, $P_NAME, $SIZE B frames, batch $BATCH"
for mode in $MODES; do
  pooled="$(awk -v m="$mode" -v b=$B '$1 == m { n[$2] += $3; s[$2] += $4 }
    END { if (s["panamax"] > 0 && n[b] > 0) printf "%.3f", (n["panamax"] / s["panamax"]) / (n[b] / s[b]); else printf "-" }' "$TOTALS")"
  st="$(awk -v m="$mode" -v b=$B '$3 == m { t[$5] += $6; c[$5]++ }
    END { if (c["panamax"] && c[b] && t[b] > 0) printf "%.3f", (t["panamax"] / c["panamax"]) / (t[b] / c[b]); else printf "-" }' "$STEADY")"
  echo "RESULT $mode pooled $pooled steady $st"
done
exit $fail
