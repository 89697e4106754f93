#!/bin/sh
# RSS scenario: pktgen on NIC 0 (e1000) sends N frames in FLOWS UDP flows to NIC 1 (igb), where
# recv runs one thread per receive queue, for each queue count in QUEUES (default "2 4"). recv
# prints, per queue, the frames of each flow it received ("recv queue Q: ... flows (UDP source
# port:frames) P:N ..."); the test compares that with the Toeplitz model. Then opening the e1000
# (one queue) with --queues 2 must fail with a clear message.
# Prints "RSS queues=Q pktgen=RC recv=RC" per run and "RESULT rss failed=K".
#
# recv runs with --backoff (RECV_OPTS): its queue threads park when idle. Busy polling, the
# default, keeps one vCPU per queue thread busy; the guest has 2, so while recv waited with 2 or 4
# spinning threads the pktgen JVM that was to send the frames barely ran: in a fresh guest on a
# loaded host it had printed nothing 5 minutes after its launch. recv's window (WAIT seconds from
# "recv on"; recv ends as soon as all N frames arrived) then closed first, and the frames pktgen
# sent afterwards met an igb with RCTL.EN off: QEMU's hub queued them and dropped them when the
# kernel driver took the NIC back, so the igb counted GPRC 0 (docs/drivers.md, igb).
# Each run prints "T <uptime>" lines at its steps, so a log shows where the time went.
. "$(dirname "$0")/lib.sh"
N="${N:-1600}"
FLOWS="${FLOWS:-16}"
PPS="${PPS:-2000}"
QUEUES="${QUEUES:-2 4}"
WAIT="${WAIT:-600}"
DMA="${DMA:-auto}"
RECV_OPTS="${RECV_OPTS:---backoff}"
TXP="$(nic_pci 0)"
RXP="$(nic_pci 1)"; RXM="$(nic_mac 1)"
FAILED=0
for Q in $QUEUES; do
  LOG="/run/rss-$Q.log"
  echo "=== $N frames in $FLOWS flows: $(nic_field 0 1) ($TXP) -> $(nic_field 1 1) ($RXP) with $Q queues"
  echo "T $(uptime_s) recv launched"
  ./panamax recv "$RXP" $RECV_OPTS --queues "$Q" --count "$N" --seconds "$WAIT" --idle 10 --dma "$DMA" > "$LOG" 2>&1 &
  RPID=$!
  if wait_for "$LOG" '^recv on' 300; then
    echo "T $(uptime_s) recv ready, pktgen launched"
    ./panamax pktgen "$TXP" --count "$N" --pps "$PPS" --flows "$FLOWS" --dst "$RXM" --batch 32 --dma "$DMA" 2>&1
    PRC=$?
    echo "T $(uptime_s) pktgen ended"
  else
    PRC=99
  fi
  wait $RPID
  RRC=$?
  echo "T $(uptime_s) recv ended"
  cat "$LOG"
  echo "RSS queues=$Q pktgen=$PRC recv=$RRC"
  [ $PRC = 0 ] && [ $RRC = 0 ] || FAILED=$((FAILED + 1))
done
echo "=== the e1000 has one queue"
./panamax recv "$TXP" --queues 2 --count 1 --seconds 5 > /run/rss-e1000.log 2>&1
ERC=$?
cat /run/rss-e1000.log
echo "E1000 queues=2 recv=$ERC driver_after=$(driver_of "$TXP")"
[ $ERC != 0 ] || FAILED=$((FAILED + 1))
echo "RESULT rss failed=$FAILED"
[ $FAILED = 0 ]
