#!/bin/sh
# Surprise removal: QEMU takes NICs off the bus while Panamax drives them (device_del, through
# vm.sh --qmp). NICs: 0 virtio-legacy (pktgen), 1 e1000 and 2 igb (fwd between them), 3 any.
#  1. pktgen on NIC 0 sends to the e1000; fwd forwards e1000 <-> igb. Removing the e1000 must end
#     fwd with one line naming the device and what showed it was gone, exit status 1, no JVM
#     crash, and the igb back on its kernel driver; pktgen, another JVM on another NIC, goes on.
#  2. Removing NIC 0 under pktgen ends pktgen the same way.
. "$(dirname "$0")/lib.sh"
# Whatever happens, no app outlives the scenario (the VM ends when its output closes).
trap 'pkill -KILL -f dev.panamax.examples 2>/dev/null' EXIT
GEN="$(nic_pci 0)"
E1000="$(nic_pci 1)"
E1000_MAC="$(nic_mac 1)"
IGB="$(nic_pci 2)"
IGB_DRIVER="$(driver_of "$IGB")"

# wait_rc FILE SECONDS: wait for an app's exit status file.
wait_rc() {
  i=0
  while [ ! -f "$1" ] && [ $i -lt $(($2 * 5)) ]; do sleep 0.2; i=$((i + 1)); done
  [ -f "$1" ]
}
present() { if [ -e "/sys/bus/pci/devices/$1" ]; then echo yes; else echo no; fi; }

(./panamax fwd "$E1000" "$IGB" --seconds 600 --backoff > /run/fwd.log 2>&1; echo $? > /run/fwd.rc) &
wait_for /run/fwd.log '^fwd ' 180 > /dev/null || exit 10
(./panamax pktgen "$GEN" --seconds 600 --pps 500 --dst "$E1000_MAC" --backoff > /run/pktgen.log 2>&1
 echo $? > /run/pktgen.rc) &
wait_for /run/pktgen.log '^pktgen on' 180 > /dev/null || { cat /run/pktgen.log; exit 11; }
# Frames flow through fwd before the removal.
wait_for /run/fwd.log "^$E1000 RX [1-9]" 300 > /dev/null || { cat /run/fwd.log; exit 12; }
echo "removal 1: device_del nic1 ($E1000, e1000) while fwd forwards it"
qmp '{"execute":"device_del","arguments":{"id":"nic1"}}' || exit 13
wait_rc /run/fwd.rc 90 || { echo "fwd did not stop within 90 s of the removal"; tail -n 20 /run/fwd.log
  dmesg | tail -n 15; exit 14; }
FRC="$(cat /run/fwd.rc)"
echo "fwd exit $FRC; its last lines:"
tail -n 3 /run/fwd.log | sed 's/^/  [fwd] /'
echo "after removal 1: $E1000 present=$(present "$E1000"), $IGB driver=$(driver_of "$IGB") (was $IGB_DRIVER)"
sleep 2
if [ -f /run/pktgen.rc ]; then PGEN_RUNNING=no; else PGEN_RUNNING=yes; fi
echo "pktgen on $GEN still running: $PGEN_RUNNING"

echo "removal 2: device_del nic0 ($GEN, virtio-legacy) while pktgen sends"
qmp '{"execute":"device_del","arguments":{"id":"nic0"}}' || exit 15
wait_rc /run/pktgen.rc 90 || { echo "pktgen did not stop within 90 s of the removal"
  tail -n 20 /run/pktgen.log; dmesg | tail -n 15; exit 16; }
PRC="$(cat /run/pktgen.rc)"
echo "pktgen exit $PRC; its last lines:"
tail -n 3 /run/pktgen.log | sed 's/^/  [pktgen] /'
echo "after removal 2: $GEN present=$(present "$GEN")"
echo "RESULT fwd=$FRC pktgen=$PRC pktgen_survived_removal_1=$PGEN_RUNNING igb_driver=$(driver_of "$IGB")" \
  "e1000_present=$(present "$E1000") virtio_present=$(present "$GEN")"
