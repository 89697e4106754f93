#!/bin/sh
# RSS scenario: pktgen on a sender NIC sends N frames in FLOWS UDP flows to a receiver NIC, where
# recv runs one thread per receive queue, for each queue count in QUEUES (default "2 4"). recv
# prints, per queue, the frames of each flow it received ("recv queue Q: ... flows (UDP source
# port:frames) P:N ..."); the test compares that with the Toeplitz model.
# PAIRS lists sender:receiver NIC indices (default "0:1": e1000 -> igb on hub 0); with
# --nics e1000,igb,e1000@t,virtio-mq@t, PAIRS="0:1 2:3" also runs the virtio-net receiver with
# VIRTIO_NET_F_MQ and F_RSS behind a multi-queue tap (the frames cross the host-side bridge),
# with the queue counts in VIRTIO_QUEUES (default: QUEUES).
# Then opening the e1000 (one queue) with --queues 2 must fail with a clear message. When a
# virtio-mq NIC is present (after its e1000 sender on the tap bridge), pktgen also sends N frames
# on its 4 transmit queues to that e1000, and opening it with more queues than its pairs fails.
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
PAIRS="${PAIRS:-0:1}"
FAILED=0

# recv_then_pktgen LOG "RECV ARGS" "PKTGEN ARGS": starts recv in the background, waits until it
# listens, runs pktgen, waits for recv; sets PRC (99: recv never listened) and RRC.
recv_then_pktgen() {
  echo "T $(uptime_s) recv launched"
  # shellcheck disable=SC2086  # the argument lists are split on purpose
  ./panamax recv $2 > "$1" 2>&1 &
  RPID=$!
  if wait_for "$1" '^recv on' 300 $RPID; then
    echo "T $(uptime_s) recv ready, pktgen launched"
    # shellcheck disable=SC2086
    ./panamax pktgen $3 2>&1
    PRC=$?
    echo "T $(uptime_s) pktgen ended"
  else
    PRC=99
  fi
  wait $RPID
  RRC=$?
  echo "T $(uptime_s) recv ended"
  cat "$1"
}
for PAIR in $PAIRS; do
  TXP="$(nic_pci "${PAIR%%:*}")"
  RXP="$(nic_pci "${PAIR#*:}")"; RXM="$(nic_mac "${PAIR#*:}")"; RXN="$(nic_field "${PAIR#*:}" 1)"
  QS="$QUEUES"
  [ "$RXN" != virtio-mq ] || QS="${VIRTIO_QUEUES:-$QUEUES}"
  for Q in $QS; do
    LOG="/run/rss-$RXN-$Q.log"
    echo "=== $N frames in $FLOWS flows: $(nic_field "${PAIR%%:*}" 1) ($TXP) -> $RXN ($RXP) with $Q queues"
    recv_then_pktgen "$LOG" "$RXP $RECV_OPTS --queues $Q --count $N --seconds $WAIT --idle 10 --dma $DMA" \
      "$TXP --count $N --pps $PPS --flows $FLOWS --dst $RXM --batch 32 --dma $DMA"
    echo "RSS queues=$Q pktgen=$PRC recv=$RRC"
    [ $PRC = 0 ] && [ $RRC = 0 ] || FAILED=$((FAILED + 1))
  done
done
TXP="$(nic_pci 0)"
echo "=== the e1000 has one queue"
./panamax recv "$TXP" --queues 2 --count 1 --seconds 5 > /run/rss-e1000.log 2>&1
ERC=$?
cat /run/rss-e1000.log
echo "E1000 queues=2 recv=$ERC driver_after=$(driver_of "$TXP")"
[ $ERC != 0 ] || FAILED=$((FAILED + 1))
for V in 0 1 2 3 4 5 6 7; do
  [ "$(nic_field $V 1)" = virtio-mq ] || continue
  VP="$(nic_pci $V)"
  # Transmit on all 4 pairs: every frame of the 4 interleaved streams reaches the e1000 at NIC
  # V - 1 on the same tap bridge, once and intact.
  TP="$(nic_pci $((V - 1)))"; TM="$(nic_mac $((V - 1)))"
  echo "=== $N frames from $VP on 4 transmit queues to $TP"
  recv_then_pktgen /run/rss-tx.log "$TP --count $N --seconds $WAIT --idle 10" \
    "$VP --queues 4 --count $N --pps $PPS --flows $FLOWS --dst $TM --batch 32"
  echo "TXQ queues=4 pktgen=$PRC recv=$RRC"
  [ $PRC = 0 ] && [ $RRC = 0 ] || FAILED=$((FAILED + 1))
  echo "=== the virtio-mq NIC has 4 queue pairs"
  ./panamax recv "$VP" --queues 8 --count 1 --seconds 5 > /run/rss-virtio.log 2>&1
  VRC=$?
  cat /run/rss-virtio.log
  echo "VIRTIO queues=8 recv=$VRC driver_after=$(driver_of "$VP")"
  [ $VRC != 0 ] || FAILED=$((FAILED + 1))
done
echo "RESULT rss failed=$FAILED"
[ $FAILED = 0 ]
