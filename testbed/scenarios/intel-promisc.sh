#!/bin/sh
# Intel scenario 2: promiscuous mode decides whether frames to a foreign MAC arrive.
# Intended for --nics e1000,igb,e1000,igb,igb: the first four NICs receive at the same time,
# NICs in OFF (default "0 1") without --promisc, NICs in ON (default "2 3") with it; then the
# NIC SENDER (default 4) sends N frames to FOREIGN. An OFF receiver must get none: it is stopped
# 2 s after pktgen's last frame (SIGTERM; it prints its summary), rather than waiting out a
# fixed window pktgen might miss. An ON receiver must get every frame intact and end by itself.
# All receivers start at once (JVM start-up dominates under TCG) and sleep on their receive
# interrupts (--interrupts, through VFIO): four receivers polling, even with --backoff, slowed
# the starts of the others and of pktgen so much that the run took as long as one after the
# other. With a virtio-legacy sender, pktgen stalled in 2 of 3 runs under a
# loaded host (not investigated), so the sender is an Intel NIC.
# Prints per receiver "=== <model> (<pci>) promiscuous <off|on>: ...", its output, then
# "PROMISC <model> <off|on> valid=V rc=RC"; at the end "RESULT promisc failed=F".
. "$(dirname "$0")/lib.sh"
N="${N:-1000}"
PPS="${PPS:-1000}"
FOREIGN="${FOREIGN:-52:54:00:00:00:99}"
OFF="${OFF:-0 1}"
ON="${ON:-2 3}"
SENDER="${SENDER:-4}"
export PANAMAX_JAVA_OPTS="-Dpanamax.hwstats=1"
FAILED=0

# start_recv INDEX MODE(off|on): recv in the background; its pid in RPID_<index>.
start_recv() {
  if [ "$2" = on ]; then FLAG=--promisc; else FLAG=; fi
  # shellcheck disable=SC2086
  ./panamax recv "$(nic_pci "$1")" $FLAG --count "$N" --seconds 120 --idle 10 --interrupts \
    > "/run/promisc-$1.log" 2>&1 &
  eval "RPID_$1=$!"
}

# report INDEX MODE RC: the receiver's section and its PROMISC line; counts a failure.
report() {
  RXN="$(nic_field "$1" 1)"
  echo "=== $RXN ($(nic_pci "$1")) promiscuous $2: pktgen $(nic_pci "$SENDER") -> $FOREIGN, $N frames"
  grep -v Mpps "/run/promisc-$1.log"
  VALID="$(sed -n 's/^recv summary: valid \([0-9]*\),.*/\1/p' "/run/promisc-$1.log")"
  echo "PROMISC $RXN $2 valid=${VALID:-none} rc=$3"
  if [ "$2" = on ]; then
    [ "$3" = 0 ] && [ "$VALID" = "$N" ] || FAILED=$((FAILED + 1))
  else
    [ "$VALID" = 0 ] || FAILED=$((FAILED + 1))
  fi
}

echo "T $(uptime_s) receivers launched"
for i in $OFF; do start_recv "$i" off; done
for i in $ON; do start_recv "$i" on; done
READY=1
for i in $OFF $ON; do
  eval "pid=\$RPID_$i"
  wait_for "/run/promisc-$i.log" '^recv on' 300 "$pid" || READY=0
done
echo "T $(uptime_s) receivers ready"
if [ $READY = 1 ]; then
  ./panamax pktgen "$(nic_pci "$SENDER")" --count "$N" --pps "$PPS" --dst "$FOREIGN" --batch 32 2>&1 \
    | grep -v Mpps
  echo "T $(uptime_s) pktgen ended"
  # Nothing may arrive at an OFF receiver: once pktgen's last frame had 2 s to come, stop it.
  sleep 2
  for i in $OFF; do eval "kill -TERM \$RPID_$i"; done
else
  FAILED=$((FAILED + 1))
  for i in $OFF $ON; do eval "kill -TERM \$RPID_$i"; done
fi
for i in $OFF; do eval "wait \$RPID_$i"; report "$i" off $?; done
for i in $ON; do eval "wait \$RPID_$i"; report "$i" on $?; done
echo "T $(uptime_s) receivers ended"
echo "RESULT promisc failed=$FAILED"
[ $FAILED = 0 ]
