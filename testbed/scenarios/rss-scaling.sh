#!/bin/sh
# Receive scaling with RSS: one pktgen on NIC 0 (e1000) sends 16 UDP flows as fast as the device
# takes them, for the whole run; recv on NIC 1 (igb) receives for RUN seconds with each queue
# count of every round in ROUNDS (rounds separated by ',', default "1 2 4,4 2 1,2 4 1": every
# count three times, in alternating order, in one boot). recv's idle queue threads park
# (--backoff), so the sender's JVM keeps running while recv starts.
# Prints per recv run "SCALE round=R queues=Q frames=N seconds=S pps=P" after recv's own per-queue
# lines, and "RESULT rss-scaling failed=K".
. "$(dirname "$0")/lib.sh"
RUN="${RUN:-20}"
ROUNDS="${ROUNDS:-1 2 4,4 2 1,2 4 1}"
TXP="$(nic_pci 0)"
RXP="$(nic_pci 1)"; RXM="$(nic_mac 1)"
FAILED=0
env --default-signal=INT ./panamax pktgen "$TXP" --flows 16 --dst "$RXM" --batch 32 --backoff \
  --seconds 100000 > /run/scaling-pktgen.log 2>&1 &
GPID=$!
wait_for /run/scaling-pktgen.log '^pktgen on' 300 || FAILED=$((FAILED + 1))
ROUND=0
echo "$ROUNDS" | tr ',' '\n' > /run/scaling-rounds
while read -r ORDER; do
  ROUND=$((ROUND + 1))
  for Q in $ORDER; do
    LOG="/run/scaling-$ROUND-$Q.log"
    ./panamax recv "$RXP" --backoff --queues "$Q" --seconds "$RUN" > "$LOG" 2>&1
    RRC=$?
    grep -E '^recv (queue|summary)' "$LOG"
    FRAMES=$(sed -n 's/^recv summary: valid \([0-9]*\),.*/\1/p' "$LOG")
    echo "SCALE round=$ROUND queues=$Q frames=${FRAMES:-0} seconds=$RUN pps=$(( ${FRAMES:-0} / RUN )) recv=$RRC"
    [ -n "$FRAMES" ] || FAILED=$((FAILED + 1))
  done
done < /run/scaling-rounds
kill -INT $GPID
wait $GPID
grep -E '^pktgen: sent' /run/scaling-pktgen.log
echo "RESULT rss-scaling failed=$FAILED"
[ $FAILED = 0 ]
