#!/bin/sh
# A/B measurement: pktgen's frames in SECONDS (default 16) from two builds of Panamax, OLD and
# NEW (checkouts with built jars, e.g. a git worktree of the older commit after './panamax
# build'), alternating in one guest, the order swapped every other round, ROUNDS rounds
# (default 3), on every NIC index in SENDERS (default "0"). Frames go to 52:54:00:00:00:02; a
# virtio NIC whose index is in SINKS (default "1") gets its kernel interface up, so QEMU's hub
# has a port that can receive (a sender alone on a hub stalls after one ring).
# Prints "AB round R NIC BUILD sent N steady K kpps" per run: N frames in all, K the mean of
# pktgen's per-second transmit rates over the second half of the run (JIT warm-up left out).
# Not part of ./panamax test: a measurement.
. "$(dirname "$0")/lib.sh"
OLD="${OLD:?OLD=directory of the older build}"
NEW="${NEW:-$PWD}"
SECONDS_="${SECONDS:-16}"
ROUNDS="${ROUNDS:-3}"
SENDERS="${SENDERS:-0}"
SINKS="${SINKS:-1}"
for s in $SINKS; do
  for n in /sys/bus/pci/devices/$(nic_pci "$s")/virtio*/net/*; do ip link set "$(basename "$n")" up; done
done
round=1
while [ $round -le "$ROUNDS" ]; do
  for nic in $SENDERS; do
    if [ $((round % 2)) = 0 ]; then order="$NEW $OLD"; else order="$OLD $NEW"; fi
    for tree in $order; do
      if [ "$tree" = "$OLD" ]; then build=old; else build=new; fi
      (cd "$tree" && ./panamax pktgen "$(nic_pci "$nic")" --seconds "$SECONDS_" --batch 64 --size 60 \
        --dst 52:54:00:00:00:02) > /run/ab.log 2>&1
      steady="$(awk '$8 == "TX" { v = $9; if ($10 == "Mpps") v *= 1000; else if ($10 == "pps") v /= 1000; m[++k] = v }
        END { for (i = int(k / 2) + 1; i <= k; i++) { t += m[i]; c++ }; if (c) printf "%.0f", t / c }' /run/ab.log)"
      echo "AB round $round $(nic_field "$nic" 1) $build sent $(sed -n 's/^pktgen: sent \([0-9]*\) packets.*/\1/p' /run/ab.log) steady ${steady:-?} kpps"
    done
  done
  round=$((round + 1))
done
