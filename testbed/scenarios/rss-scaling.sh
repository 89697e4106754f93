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
#   "SCALE mode=M round=R queues=Q frames=N seconds=S pps=P steady_pps=T dropped=D rc=C"
# (frames over the whole window, pps = frames / RUN, dropped = the receiving NIC's drops), and at
# the end the sender's summary and "RESULT rss-scaling failed=K".
. "$(dirname "$0")/lib.sh"
RUN="${RUN:-30}"
STEADY="${STEADY:-$((RUN / 2))}"
MODES="${MODES:-recv fwd}"
ROUNDS="${ROUNDS:-1 2 4,4 2 1,2 4 1}"
TXP="$(nic_pci 0)"
RXP="$(nic_pci 1)"; RXM="$(nic_mac 1)"
FWP="$(nic_pci 2)"
FAILED=0

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
      if [ "$MODE" = recv ]; then
        ./panamax recv "$RXP" --backoff --queues "$Q" --seconds "$RUN" > "$LOG" 2>&1
        RC=$?
        grep -E '^recv (queue|summary)' "$LOG"
        FRAMES=$(sed -n 's/^recv summary: valid \([0-9]*\),.*/\1/p' "$LOG")
        DROPPED=$(sed -n 's/^recv summary: .* errors, \([0-9]*\) dropped.*/\1/p' "$LOG")
        STEADY_PPS=$(steady_pps "$LOG" "$RXP" RX)
      elif [ "$MODE" = fwd ]; then
        ./panamax fwd "$RXP" "$FWP" --backoff --queues "$Q" --seconds "$RUN" > "$LOG" 2>&1
        RC=$?
        grep -E '^fwd( queue [0-9]+)?:' "$LOG"
        FRAMES=$(sed -n 's/^fwd: forwarded \([0-9]*\) packets.*/\1/p' "$LOG")
        DROPPED=$(sed -n "s/^fwd: device counters of $RXP: rx [0-9]* packets, \([0-9]*\) dropped.*/\1/p" "$LOG")
        STEADY_PPS=$(steady_pps "$LOG" "$FWP" TX)
      else
        echo "rss-scaling: unknown mode $MODE (recv or fwd)"
        exit 2
      fi
      echo "SCALE mode=$MODE round=$ROUND queues=$Q frames=${FRAMES:-0} seconds=$RUN" \
        "pps=$(( ${FRAMES:-0} / RUN )) steady_pps=${STEADY_PPS:-0} dropped=${DROPPED:-?} rc=$RC"
      if [ -z "$FRAMES" ] || [ "$RC" != 0 ]; then
        FAILED=$((FAILED + 1))
        tail -n 5 "$LOG"
      fi
    done
  done < /run/scaling-rounds
done
kill -INT $GPID
wait $GPID
grep -E '^pktgen: sent' /run/scaling-pktgen.log
echo "RESULT rss-scaling failed=$FAILED"
[ $FAILED = 0 ]
