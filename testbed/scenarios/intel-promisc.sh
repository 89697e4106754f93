#!/bin/sh
# Intel scenario 2: promiscuous mode decides whether frames to a foreign MAC arrive.
# Every NIC receives in turn (NIC 1 sends to NIC 0, NIC 0 to all others): first without
# --promisc (nothing may arrive), then with --promisc (every frame must arrive intact).
# Intended for --nics e1000,igb. (With a virtio-legacy sender, pktgen stalled in 2 of 3 runs
# under a loaded host; not investigated.)
# A NIC named e1000e is not received on but must be refused (unsupported 82574L). Observed:
# with an e1000e (kernel-bound, interface down) on the same hub, virtio pktgen stalled; the
# JUnit test therefore runs without it.
# Prints "PROMISC <nic> off valid=V" and "PROMISC <nic> on valid=V rc=RC" lines.
. "$(dirname "$0")/lib.sh"
N="${N:-1000}"
PPS="${PPS:-1000}"
FOREIGN="${FOREIGN:-52:54:00:00:00:99}"
export PANAMAX_JAVA_OPTS="-Dpanamax.hwstats=1"
COUNT=$(echo "$PANAMAX_NICS" | wc -w)
FAILED=0

# run_pair RX_INDEX MODE(off|on)
run_pair() {
  RXN="$(nic_field "$1" 1)"; RXP="$(nic_pci "$1")"
  if [ "$1" = 0 ]; then TXP="$(nic_pci 1)"; else TXP="$(nic_pci 0)"; fi
  LOG="/run/promisc-$1-$2.log"
  if [ "$2" = on ]; then FLAG=--promisc; else FLAG=; fi
  echo "=== $RXN ($RXP) promiscuous $2: pktgen $TXP -> $FOREIGN, $N frames"
  # shellcheck disable=SC2086
  ./panamax recv "$RXP" $FLAG --count "$N" --seconds 120 --idle 10 --backoff > "$LOG" 2>&1 &
  RPID=$!
  wait_for "$LOG" '^recv on' 300 $RPID || { FAILED=$((FAILED + 1)); return; }
  ./panamax pktgen "$TXP" --count "$N" --pps "$PPS" --dst "$FOREIGN" --batch 32 2>&1 | grep -v Mpps
  if [ "$2" = off ]; then
    # Nothing may arrive: once pktgen's last frame had 2 s to come, recv is stopped (it prints
    # its summary on SIGTERM; SIGINT is ignored by a background job of a script), rather than
    # waiting out a fixed window that pktgen might miss.
    sleep 2
    kill -TERM $RPID
  fi
  wait $RPID
  RRC=$?
  grep -v Mpps "$LOG"
  VALID="$(sed -n 's/^recv summary: valid \([0-9]*\),.*/\1/p' "$LOG")"
  echo "PROMISC $RXN $2 valid=${VALID:-none} rc=$RRC"
  if [ "$2" = on ]; then
    [ "$RRC" = 0 ] && [ "$VALID" = "$N" ] || FAILED=$((FAILED + 1))
  else
    [ "$VALID" = 0 ] || FAILED=$((FAILED + 1))
  fi
}

# (Not "i": lib.sh's wait_for uses that name.)
nic=0
while [ $nic -lt "$COUNT" ]; do
  if [ "$(nic_field $nic 1)" = e1000e ]; then
    # The 82574L is not an e1000 and stays unsupported: refused before anything is touched.
    P="$(nic_pci $nic)"
    BEFORE="$(driver_of "$P")"
    MSG="$(./panamax pktgen "$P" --count 1 2>&1)"
    RC=$?
    echo "REFUSED e1000e rc=$RC before=$BEFORE after=$(driver_of "$P")"
    echo "MESSAGE e1000e $MSG"
    [ $RC != 0 ] || FAILED=$((FAILED + 1))
  else
    run_pair $nic off
    run_pair $nic on
  fi
  nic=$((nic + 1))
done
echo "RESULT promisc failed=$FAILED"
[ $FAILED = 0 ]
