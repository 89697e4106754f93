#!/bin/sh
# Scenario: an idle receiver's CPU time and its latency at a low rate, busy polling against
# sleeping on the receive interrupt (--interrupts: INTx or MSI through VFIO).
# NIC 0 stays with its kernel driver (10.12.0.1/24); ./panamax respond answers for 10.12.0.2 on
# each NIC of RESPONDERS (indexes, default 1; through VFIO). For each NIC and mode: start the
# responder, let it idle for SECONDS_IDLE seconds and read its CPU time from /proc/PID/stat
# (utime + stime, in clock ticks), then ping it COUNT times at 5 per second and keep ping's
# summary and the interrupts the kernel delivered through VFIO (/proc/interrupts).
# Prints one "MODE" line per NIC and mode and a RESULT line.
. "$(dirname "$0")/lib.sh"
COUNT="${COUNT:-20}"
SECONDS_IDLE="${SECONDS_IDLE:-10}"
MODES="${MODES:-poll interrupts}"
KERNEL_NIC="$(nic_pci 0)"
IF="$(ls "/sys/bus/pci/devices/$KERNEL_NIC/net/" 2>/dev/null | head -1)"
[ -n "$IF" ] || { echo "no kernel interface for $KERNEL_NIC"; exit 10; }
ip addr add 10.12.0.1/24 dev "$IF" && ip link set "$IF" up || exit 11
TICK="$(getconf CLK_TCK 2>/dev/null || echo 100)"
FAILED=0
for index in ${RESPONDERS:-1}; do
NIC="$(nic_pci "$index")"
for mode in $MODES; do
  case "$mode" in
    poll) FLAGS="" ;;
    backoff) FLAGS="--backoff" ;;
    interrupts) FLAGS="--interrupts" ;;
    *) echo "unknown mode $mode"; exit 12 ;;
  esac
  LOG="/run/respond-$index-$mode.log"
  # shellcheck disable=SC2086
  ./panamax respond "$NIC" 10.12.0.2 --seconds 300 $FLAGS > "$LOG" 2>&1 &
  RPID=$!
  wait_for "$LOG" '^respond on' 300 || { kill "$RPID"; cat "$LOG"; exit 13; }
  PID="$(pgrep -n -P "$RPID" java 2>/dev/null || echo "$RPID")"
  sleep 3 # the JVM's start-up compilation settles
  before="$(awk '{print $14 + $15}' "/proc/$PID/stat")"
  sleep "$SECONDS_IDLE"
  after="$(awk '{print $14 + $15}' "/proc/$PID/stat")"
  CPU_MS=$(( (after - before) * 1000 / TICK ))
  # Each responder has its own MAC: forget the last one's.
  ip neigh flush dev "$IF"
  ping -n -c "$COUNT" -i 0.2 10.12.0.2 > "/run/ping-$index-$mode.log" 2>&1
  PING=$?
  RTT="$(grep -E '^(rtt|round-trip)' "/run/ping-$index-$mode.log")"
  LOSS="$(grep -o '[0-9.]*% packet loss' "/run/ping-$index-$mode.log")"
  # Interrupts the kernel delivered to this process through VFIO (0 when polling).
  IRQS="$(grep "vfio.*$NIC" /proc/interrupts | awk '{for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i} END {print s + 0}')"
  IRQ_NAME="$(grep -o "vfio-[a-z]*\[[0-9]*\]($NIC)" /proc/interrupts | head -1)"
  kill -TERM "$RPID"
  wait "$RPID"
  RRC=$?
  grep -E '^respond: [^ ]+: DMA|^respond on' "$LOG"
  echo "MODE $NIC $mode idle_cpu_ms=$CPU_MS over ${SECONDS_IDLE} s; ping=$PING $LOSS; $RTT; respond=$RRC; vfio_interrupts=$IRQS ${IRQ_NAME:-none}"
  [ "$PING" = 0 ] && [ "$RRC" = 143 ] || FAILED=$((FAILED + 1))
done
echo "DRIVER $NIC after=$(driver_of "$NIC")"
done
echo "RESULT interrupts failed=$FAILED"
[ $FAILED = 0 ]
