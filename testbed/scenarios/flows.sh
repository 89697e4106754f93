#!/bin/sh
# Kotlin flow monitor: flows on NIC 0 counts what pktgen on NIC 1 sends over the same hub,
# N frames in FLOWS UDP flows (source ports 42, 43, ...). The receiver starts first.
# Prints both apps' output and a RESULT line; exit status 0 only if both apps succeeded.
. "$(dirname "$0")/lib.sh"
N="${N:-800}"
FLOWS="${FLOWS:-4}"
PPS="${PPS:-400}"
RX="$(nic_pci 0)"
RX_MAC="$(nic_mac 0)"
TX="$(nic_pci 1)"
LOG=/run/flows.log

echo "scenario flows: pktgen $TX --flows $FLOWS -> flows $RX ($RX_MAC), $N frames at $PPS pps"
./panamax flows "$RX" --count "$N" --seconds 600 --idle 20 --interval 2 --backoff > "$LOG" 2>&1 &
FPID=$!
wait_for "$LOG" '^flows on' 300 || exit 10
echo "TIME receiver ready at $(cut -d' ' -f1 /proc/uptime) s (guest uptime)"
./panamax pktgen "$TX" --flows "$FLOWS" --count "$N" --pps "$PPS" --dst "$RX_MAC" --batch 32 --backoff
PRC=$?
echo "TIME pktgen done at $(cut -d' ' -f1 /proc/uptime) s"
wait $FPID
FRC=$?
cat "$LOG"
echo "RESULT flows=$FRC pktgen=$PRC driver_after_rx=$(driver_of "$RX") driver_after_tx=$(driver_of "$TX")"
[ $FRC = 0 ] && [ $PRC = 0 ]
