#!/bin/sh
# The demo: pktgen on NIC 0 -> (hub 0) -> fwd NIC 1 => NIC 2 -> (hub 1) -> recv on NIC 3,
# all four emulated virtio NICs driven by Panamax, with every app's per-second stats live.
# The receiver runs in promiscuous mode: fwd does not rewrite MAC addresses. Exit status 0 only
# if all three apps succeeded (recv: every frame 0..N-1 arrived exactly once, none corrupt).
. "$(dirname "$0")/lib.sh"
N="${N:-20000}"
PPS="${PPS:-2000}"
GEN="$(nic_pci 0)"
FIN="$(nic_pci 1)"
FIN_MAC="$(nic_mac 1)"
FOUT="$(nic_pci 2)"
RX="$(nic_pci 3)"

echo "demo: pktgen $GEN ~hub0~> fwd $FIN => $FOUT ~hub1~> recv $RX; $N frames at $PPS pps"
(./panamax recv "$RX" --promisc --count "$N" --seconds 600 --idle 30 --backoff 2>&1; echo $? > /run/recv.rc) \
  | tee /run/recv.log | sed -u 's/^/[recv]   /' &
(./panamax fwd "$FIN" "$FOUT" --count "$N" --seconds 600 --idle 30 --backoff 2>&1; echo $? > /run/fwd.rc) \
  | tee /run/fwd.log | sed -u 's/^/[fwd]    /' &
wait_for /run/recv.log '^recv on' 180 > /dev/null || exit 10
wait_for /run/fwd.log '^fwd ' 180 > /dev/null || exit 11
(./panamax pktgen "$GEN" --count "$N" --pps "$PPS" --dst "$FIN_MAC" --batch 32 --backoff 2>&1; echo $? > /run/pktgen.rc) \
  | sed -u 's/^/[pktgen] /'
wait
PRC="$(cat /run/pktgen.rc)"
FRC="$(cat /run/fwd.rc)"
RRC="$(cat /run/recv.rc)"
echo "RESULT pktgen=$PRC fwd=$FRC recv=$RRC"
[ "$PRC" = 0 ] && [ "$FRC" = 0 ] && [ "$RRC" = 0 ]
