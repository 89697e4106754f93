#!/bin/sh
# Receive and forwarding scaling with RSS. NICs: 0 an e1000 (the sender), 1 an igb on the same
# hub, 2 an igb alone on a second hub (fwd's other side), e.g.
#   ./panamax vm --nics e1000@0,igb@0,igb@1 --timeout 3600 -- testbed/scenarios/rss-scaling.sh
# One pktgen on NIC 0 sends 16 UDP flows as fast as the device takes them, for the whole run.
# For each mode in MODES (default "recv fwd") and each queue count of every round in ROUNDS
# (rounds separated by ',', default "1 2 4,4 2 1,2 4 1": every count three times, in alternating
# order, in one boot), the mode runs for RUN seconds (default 30) with --queues Q:
#   recv: ./panamax recv NIC1 --backoff --queues Q
#   fwd:  ./panamax fwd NIC1 NIC2 --backoff --queues Q   (NIC 2's transmit side counts)
# Idle queue threads park (--backoff), so the sender's JVM keeps running while the next app
# starts. The per-second rate lines give the steady rate: the mean of the last STEADY (default
# half of RUN) seconds, after the JVM's warm-up.
# Prints per run the app's per-queue lines, then
#   "SCALE mode=M round=R queues=Q frames=N seconds=S pps=P steady_pps=T sender_pps=X
#    dropped=D busy=B% rc=C"
# (frames over the whole window, pps = frames / RUN; steady_pps the app's steady rate;
# sender_pps pktgen's transmit rate over the same last STEADY seconds; dropped = the receiving
# NIC's drop counter; busy = how much of the guest's CPUs was not idle during the run), and at
# the end the sender's summary and "RESULT rss-scaling failed=K". Frames the sender sends while
# the receiving NIC's ring is full are dropped by QEMU's hub, not counted by the NIC: compare
# steady_pps with sender_pps to see which side limits the rate.
. "$(dirname "$0")/lib.sh"
RUN="${RUN:-30}"
STEADY="${STEADY:-$((RUN / 2))}"
MODES="${MODES:-recv fwd}"
ROUNDS="${ROUNDS:-1 2 4,4 2 1,2 4 1}"
TXP="$(nic_pci 0)"
RXP="$(nic_pci 1)"; RXM="$(nic_mac 1)"
FWP="$(nic_pci 2)"
FAILED=0

# cpu_ticks: "busy total" jiffies of all CPUs so far, from /proc/stat.
cpu_ticks() {
  awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat
}

# bounded LOG CMD...: runs CMD with output to LOG; one that is still running RUN + 240 s later
# gets SIGQUIT (the JVM's thread dump goes to LOG), then SIGINT, then SIGKILL; returns its status.
bounded() {
  B_LOG="$1"; shift
  "$@" > "$B_LOG" 2>&1 &
  B_PID=$!
  B_LEFT=$((RUN + 240))
  while kill -0 $B_PID 2>/dev/null && [ $B_LEFT -gt 0 ]; do
    sleep 1; B_LEFT=$((B_LEFT - 1))
  done
  if kill -0 $B_PID 2>/dev/null; then
    echo "rss-scaling: $* still running after $((RUN + 240)) s: thread dump, then SIGINT"
    kill -QUIT $B_PID; sleep 3
    kill -INT $B_PID; sleep 30
    kill -KILL $B_PID 2>/dev/null
  fi
  wait $B_PID
}

# steady_pps LOG DEVICE FIELD: mean of the last $STEADY per-second FIELD (RX or TX) packet rates
# of DEVICE, e.g. from "0000:00:04.0 RX 12.3 kpps 8.26 Mbit/s | TX 0 pps 0 bit/s".
steady_pps() {
  grep "^$2 RX " "$1" | tail -n "$STEADY" | awk -v f="$3" '{
    i = (f == "RX") ? 3 : 9; v = $i; u = $(i + 1)
    if (u == "kpps") v *= 1e3; else if (u == "Mpps") v *= 1e6
    s += v; n++ } END { printf "%d", n ? s / n : 0 }'
}

env --default-signal=INT ./panamax pktgen "$TXP" --flows 16 --dst "$RXM" --batch 32 --backoff \
  --seconds 100000 > /run/scaling-pktgen.log 2>&1 &
GPID=$!
wait_for /run/scaling-pktgen.log '^pktgen on' 300 || FAILED=$((FAILED + 1))
echo "$ROUNDS" | tr ',' '\n' > /run/scaling-rounds
for MODE in $MODES; do
  ROUND=0
  while read -r ORDER; do
    ROUND=$((ROUND + 1))
    for Q in $ORDER; do
      LOG="/run/scaling-$MODE-$ROUND-$Q.log"
      set -- $(cpu_ticks)
      BUSY0=$1 TOTAL0=$2
      if [ "$MODE" = recv ]; then
        bounded "$LOG" ./panamax recv "$RXP" --backoff --queues "$Q" --seconds "$RUN"
        RC=$?
        grep -E '^recv (queue|summary)' "$LOG"
        FRAMES=$(sed -n 's/^recv summary: valid \([0-9]*\),.*/\1/p' "$LOG")
        DROPPED=$(sed -n 's/^recv summary: .* errors, \([0-9]*\) dropped.*/\1/p' "$LOG")
        STEADY_PPS=$(steady_pps "$LOG" "$RXP" RX)
      elif [ "$MODE" = fwd ]; then
        bounded "$LOG" ./panamax fwd "$RXP" "$FWP" --backoff --queues "$Q" --seconds "$RUN"
        RC=$?
        grep -E '^fwd( queue [0-9]+)?:' "$LOG"
        FRAMES=$(sed -n 's/^fwd: forwarded \([0-9]*\) packets.*/\1/p' "$LOG")
        DROPPED=$(sed -n "s/^fwd: device counters of $RXP: rx [0-9]* packets, \([0-9]*\) dropped.*/\1/p" "$LOG")
        STEADY_PPS=$(steady_pps "$LOG" "$FWP" TX)
      else
        echo "rss-scaling: unknown mode $MODE (recv or fwd)"
        exit 2
      fi
      SENDER_PPS=$(steady_pps /run/scaling-pktgen.log "$TXP" TX)
      set -- $(cpu_ticks)
      BUSY=$(( 100 * ($1 - BUSY0) / ($2 - TOTAL0 + 1) ))
      echo "SCALE mode=$MODE round=$ROUND queues=$Q frames=${FRAMES:-0} seconds=$RUN" \
        "pps=$(( ${FRAMES:-0} / RUN )) steady_pps=${STEADY_PPS:-0} sender_pps=$SENDER_PPS" \
        "dropped=${DROPPED:-?} busy=$BUSY% rc=$RC"
      if [ -z "$FRAMES" ] || [ "$RC" != 0 ]; then
        FAILED=$((FAILED + 1))
        cat "$LOG"
      fi
    done
  done < /run/scaling-rounds
done
kill -INT $GPID
wait $GPID
grep -E '^pktgen: sent' /run/scaling-pktgen.log
echo "RESULT rss-scaling failed=$FAILED"
[ $FAILED = 0 ]
