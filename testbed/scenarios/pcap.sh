#!/bin/sh
# Scenario: pktgen on NIC 0 sends N test frames to NIC 1, where ./panamax pcap writes every
# received frame to a capture file; then Debian's capinfos and tshark read that file.
# Prints the apps' output, capinfos' report, one "FRAME ..." line per packet as tshark decodes it,
# the guest's clock around the capture ("CLOCK ...") and a RESULT line. Exit status 0 only if
# pktgen, pcap and tshark all succeeded (the JUnit test checks the contents).
. "$(dirname "$0")/lib.sh"
N="${N:-500}"
PPS="${PPS:-500}"
SIZE="${SIZE:-98}"
TX="$(nic_pci 0)"
RX="$(nic_pci 1)"
RX_MAC="$(nic_mac 1)"
FILE=/run/capture.pcap
LOG=/run/pcap.log

echo "scenario pcap: pktgen $TX -> pcap $RX ($RX_MAC), $N frames of $SIZE bytes at $PPS pps"
BEFORE="$(date +%s.%N)"
# The receiver first: a transmitter alone on a hub may stall.
./panamax pcap "$RX" "$FILE" "$N" --seconds 600 --idle 20 --backoff > "$LOG" 2>&1 &
CPID=$!
wait_for "$LOG" '^pcap on' 300 || { kill "$CPID"; exit 10; }
./panamax pktgen "$TX" --count "$N" --pps "$PPS" --size "$SIZE" --dst "$RX_MAC" --batch 32 --backoff
PRC=$?
wait "$CPID"
CRC=$?
AFTER="$(date +%s.%N)"
cat "$LOG"
echo "CLOCK before=$BEFORE after=$AFTER"
echo "--- capinfos $FILE"
capinfos "$FILE" 2>&1
echo "--- tshark -r $FILE"
tshark -r "$FILE" -T fields -E separator=' ' -e frame.number -e frame.len -e frame.cap_len \
  -e eth.dst -e eth.src -e ip.src -e ip.dst -e udp.srcport -e udp.dstport -e udp.payload \
  -e frame.time_epoch > /run/tshark.txt 2> /run/tshark.err
TRC=$?
sed 's/^/FRAME /' /run/tshark.txt
grep -v 'Running as user "root"' /run/tshark.err
echo "RESULT pktgen=$PRC pcap=$CRC tshark=$TRC frames=$(wc -l < /run/tshark.txt) driver_after_tx=$(driver_of "$TX") driver_after_rx=$(driver_of "$RX")"
[ "$PRC" = 0 ] && [ "$CRC" = 0 ] && [ "$TRC" = 0 ]
