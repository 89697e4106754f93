#!/bin/sh
# Scenario 1: pktgen on NIC 0 (virtio legacy) -> recv on NIC 1 (virtio modern), same hub.
# Every frame carries a sequence number and a payload checksum; recv verifies both.
# Prints both apps' output and a RESULT line; exit status 0 only if both apps succeeded.
. "$(dirname "$0")/lib.sh"
N="${N:-20000}"
PPS="${PPS:-4000}"
TX="$(nic_pci 0)"
RX="$(nic_pci 1)"
RX_MAC="$(nic_mac 1)"
LOG=/run/recv.log

echo "scenario send-receive: pktgen $TX -> recv $RX ($RX_MAC), $N frames at $PPS pps"
./panamax recv "$RX" --count "$N" --seconds 240 --idle 15 --backoff > "$LOG" 2>&1 &
RPID=$!
wait_for "$LOG" '^recv on' 300 || exit 10
./panamax pktgen "$TX" --count "$N" --pps "$PPS" --dst "$RX_MAC" --batch 32 --backoff
PRC=$?
wait $RPID
RRC=$?
cat "$LOG"
echo "RESULT pktgen=$PRC recv=$RRC driver_after_tx=$(driver_of "$TX") driver_after_rx=$(driver_of "$RX")"
[ $PRC = 0 ] && [ $RRC = 0 ]
