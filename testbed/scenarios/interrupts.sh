#!/bin/sh
# Scenario: an idle receiver's CPU time and its latency at a low rate, busy polling against
# sleeping on the receive interrupt (--interrupts: INTx or MSI through VFIO).
# NIC 0 stays with its kernel driver (10.12.0.1/24); ./panamax respond answers on each NIC of
# RESPONDERS (indexes, default 1; through VFIO), for 10.12.0.2, 10.12.0.3, ... in that order. For
# each mode: start the responders together, let them idle for SECONDS_IDLE seconds and read each
# one's CPU time from /proc/PID/stat (utime + stime, in clock ticks), then ping each COUNT times
# at 5 per second and keep ping's summary and the interrupts the kernel delivered through VFIO
# (/proc/interrupts).
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
# ip_of INDEX: the address the responder on NIC INDEX answers for (10.12.0.2 for the first).
ip_of() {
  k=1
  for i in ${RESPONDERS:-1}; do
    k=$((k + 1))
    [ "$i" = "$1" ] && { echo "10.12.0.$k"; return; }
  done
}

for mode in $MODES; do
  case "$mode" in
    poll) FLAGS="" ;;
    backoff) FLAGS="--backoff" ;;
    interrupts) FLAGS="--interrupts" ;;
    *) echo "unknown mode $mode"; exit 12 ;;
  esac
  # The responders of one mode start together (each start is mostly the JVM's own) and idle
  # over the same window; CPU time is read per process. Then each is pinged in turn.
  for index in ${RESPONDERS:-1}; do
    # shellcheck disable=SC2086  # FLAGS is split on purpose
    ./panamax respond "$(nic_pci "$index")" "$(ip_of "$index")" --seconds 300 $FLAGS \
      > "/run/respond-$index-$mode.log" 2>&1 &
    eval "RPID_$index=$!"
  done
  for index in ${RESPONDERS:-1}; do
    eval "RPID=\$RPID_$index"
    LOG="/run/respond-$index-$mode.log"
    wait_for "$LOG" '^respond on' 300 || { kill "$RPID"; cat "$LOG"; exit 13; }
    eval "PID_$index=$(pgrep -n -P "$RPID" java 2>/dev/null || echo "$RPID")"
  done
  sleep 3 # the JVMs' start-up compilation settles
  for index in ${RESPONDERS:-1}; do
    eval "PID=\$PID_$index"
    eval "BEFORE_$index=$(awk '{print $14 + $15}' "/proc/$PID/stat")"
  done
  sleep "$SECONDS_IDLE"
  for index in ${RESPONDERS:-1}; do
    eval "PID=\$PID_$index"
    eval "AFTER_$index=$(awk '{print $14 + $15}' "/proc/$PID/stat")"
  done
  for index in ${RESPONDERS:-1}; do
    NIC="$(nic_pci "$index")"
    eval "RPID=\$RPID_$index; before=\$BEFORE_$index; after=\$AFTER_$index"
    LOG="/run/respond-$index-$mode.log"
    CPU_MS=$(( (after - before) * 1000 / TICK ))
    ip neigh flush dev "$IF"
    ping -n -c "$COUNT" -i 0.2 "$(ip_of "$index")" > "/run/ping-$index-$mode.log" 2>&1
    PING=$?
    RTT="$(grep -E '^(rtt|round-trip)' "/run/ping-$index-$mode.log")"
    LOSS="$(grep -o '[0-9.]*% packet loss' "/run/ping-$index-$mode.log")"
    IRQS="$(grep "vfio.*$NIC" /proc/interrupts | awk '{for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i} END {print s + 0}')"
    IRQ_NAME="$(grep -o "vfio-[a-z]*\[[0-9]*\]($NIC)" /proc/interrupts | head -1)"
    kill -TERM "$RPID"
    wait "$RPID"
    RRC=$?
    grep -E '^respond: [^ ]+: DMA|^respond on' "$LOG"
    echo "MODE $NIC $mode idle_cpu_ms=$CPU_MS over ${SECONDS_IDLE} s; ping=$PING $LOSS; $RTT; respond=$RRC; vfio_interrupts=$IRQS ${IRQ_NAME:-none}"
    [ "$PING" = 0 ] && [ "$RRC" = 143 ] || FAILED=$((FAILED + 1))
  done
done
for index in ${RESPONDERS:-1}; do
  echo "DRIVER $(nic_pci "$index") after=$(driver_of "$(nic_pci "$index")")"
done
echo "RESULT interrupts failed=$FAILED"
[ $FAILED = 0 ]
