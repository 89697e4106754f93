#!/bin/sh
# Link flaps: QEMU takes a NIC's link down and up again (set_link, through vm.sh --qmp) while
# pktgen sends on it. NICs: 0 the sender (igb, e1000 or virtio), 1 a virtio receiver on the hub.
# While the link is down, linkStatus() says so (the stats lines end in "link down") and transmit
# pushes back (TX 0 pps: nothing accepted); afterwards sending resumes, the mempool counters add
# up, and the receiver gets every frame but those the NIC accepted in the moment before the
# driver saw the link drop (QEMU discards what a NIC sends while its link is down).
. "$(dirname "$0")/lib.sh"
# Whatever happens, no app outlives the scenario (the VM ends when its output closes).
trap 'pkill -KILL -f dev.panamax.examples 2>/dev/null' EXIT
N="${N:-3000}"
PPS="${PPS:-300}"
GEN="$(nic_pci 0)"
RX="$(nic_pci 1)"
RX_MAC="$(nic_mac 1)"

(./panamax recv "$RX" --count "$N" --seconds 600 --idle 30 --backoff > /run/recv.log 2>&1
 echo $? > /run/recv.rc) &
wait_for /run/recv.log '^recv on' 180 > /dev/null || exit 10
(./panamax pktgen "$GEN" --count "$N" --pps "$PPS" --dst "$RX_MAC" --batch 16 --backoff \
   > /run/pktgen.log 2>&1; echo $? > /run/pktgen.rc) &
wait_for /run/pktgen.log "^$GEN RX .* TX [1-9]" 180 > /dev/null || { cat /run/pktgen.log; exit 11; }
echo "link down: set_link nic0 off"
qmp '{"execute":"set_link","arguments":{"name":"nic0","up":false}}' || exit 12
sleep 4
echo "link up: set_link nic0 on"
qmp '{"execute":"set_link","arguments":{"name":"nic0","up":true}}' || exit 13
wait
PRC="$(cat /run/pktgen.rc)"
RRC="$(cat /run/recv.rc)"
sed 's/^/[pktgen] /' /run/pktgen.log
grep -E '^recv( summary)?:' /run/recv.log | sed 's/^/[recv]   /'
DOWN_LINES="$(grep -c "^$GEN RX .* TX 0 pps .*| link down" /run/pktgen.log)"
echo "RESULT pktgen=$PRC recv=$RRC link_down_lines=$DOWN_LINES"
[ "$PRC" = 0 ]
