#!/bin/sh
# Intel scenario 1: send/receive with integrity checks for every ordered pair of the NICs given
# to vm.sh (e.g. --nics e1000,igb,virtio-legacy: 6 directions), one after the other.
# For each pair: recv on the receiver (--backoff: parked while idle, so the guest CPU it would
# spin on goes to pktgen's start), pktgen to the receiver's MAC; both apps run with
# -Dpanamax.hwstats so the Intel drivers print their statistics registers on close.
# DMA=vfio|physical|auto (default auto) is passed to both apps as --dma.
# Prints "PAIR <tx> -> <rx> pktgen=RC recv=RC" per pair and exits 0 only if all succeeded.
. "$(dirname "$0")/lib.sh"
N="${N:-2000}"
PPS="${PPS:-2000}"
DMA="${DMA:-auto}"
export PANAMAX_JAVA_OPTS="-Dpanamax.hwstats=1"
COUNT=$(echo "$PANAMAX_NICS" | wc -w)
FAILED=0
tx=0
while [ $tx -lt "$COUNT" ]; do
  rx=0
  while [ $rx -lt "$COUNT" ]; do
    if [ $rx != $tx ]; then
      TXN="$(nic_field $tx 1)"; TXP="$(nic_pci $tx)"
      RXN="$(nic_field $rx 1)"; RXP="$(nic_pci $rx)"; RXM="$(nic_mac $rx)"
      LOG="/run/recv-$tx-$rx.log"
      echo "=== pair $TXN ($TXP) -> $RXN ($RXP $RXM): $N frames at $PPS pps"
      ./panamax recv "$RXP" --count "$N" --seconds 600 --idle 10 --backoff --dma "$DMA" > "$LOG" 2>&1 &
      RPID=$!
      if wait_for "$LOG" '^recv on' 300; then
        ./panamax pktgen "$TXP" --count "$N" --pps "$PPS" --dst "$RXM" --batch 32 --dma "$DMA" 2>&1
        PRC=$?
      else
        PRC=99
      fi
      wait $RPID
      RRC=$?
      cat "$LOG"
      echo "PAIR $TXN -> $RXN pktgen=$PRC recv=$RRC driver_after_tx=$(driver_of "$TXP") driver_after_rx=$(driver_of "$RXP")"
      [ $PRC = 0 ] && [ $RRC = 0 ] || FAILED=$((FAILED + 1))
    fi
    rx=$((rx + 1))
  done
  tx=$((tx + 1))
done
echo "RESULT pairs failed=$FAILED"
[ $FAILED = 0 ]
