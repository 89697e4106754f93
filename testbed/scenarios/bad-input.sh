#!/bin/sh
# Scenario 3: bad input. Each attempt must fail with exit status 1 and a one-line message that
# names the device and the step, and must leave the device bound to the driver it had.
# NIC 0: virtio legacy (kernel-bound), NIC 1: rtl8139 (unsupported).
. "$(dirname "$0")/lib.sh"
VIRTIO="$(nic_pci 0)"
RTL="$(nic_pci 1)"

# attempt NAME DEVICE COMMAND...: runs the command, reports status, message, binding before/after.
attempt() {
  name="$1"
  dev="$2"
  shift 2
  before="$(driver_of "$dev")"
  out="$("$@" 2>&1)"
  rc=$?
  after="$(driver_of "$dev")"
  echo "CHECK $name rc=$rc before=$before after=$after"
  echo "$out" | sed "s/^/MESSAGE $name /"
}

# These five change nothing the others depend on, so they run at once (each is mostly a JVM
# start); their lines are printed in this order once all have ended.
attempt malformed "$VIRTIO" ./panamax pktgen 0000:zz:00.0 --count 1 > /run/bad-1.out &
attempt absent "$VIRTIO" ./panamax pktgen 0000:00:05.0 --count 1 > /run/bad-2.out &
attempt not-network 0000:00:1f.2 ./panamax pktgen 0000:00:1f.2 --count 1 > /run/bad-3.out &
attempt unsupported "$RTL" ./panamax pktgen "$RTL" --count 1 > /run/bad-4.out &
attempt not-root "$VIRTIO" setpriv --reuid=65534 --regid=65534 --clear-groups ./panamax pktgen "$VIRTIO" --count 1 > /run/bad-5.out &
wait
cat /run/bad-1.out /run/bad-2.out /run/bad-3.out /run/bad-4.out /run/bad-5.out

IFACE="$(ls /sys/bus/pci/devices/"$VIRTIO"/virtio*/net/ 2>/dev/null | head -1)"
ip link set "$IFACE" up
attempt interface-up "$VIRTIO" ./panamax pktgen "$VIRTIO" --count 1
echo "STATE interface-up iface=$IFACE flags=$(cat /sys/class/net/"$IFACE"/flags)"
ip link set "$IFACE" down

HUGE="$(cat /proc/sys/vm/nr_hugepages)"
echo 0 > /proc/sys/vm/nr_hugepages
attempt no-hugepages "$VIRTIO" ./panamax pktgen "$VIRTIO" --count 1
echo "STATE no-hugepages leftover_files=$(find /dev/hugepages -type f | wc -l)"
echo "$HUGE" > /proc/sys/vm/nr_hugepages

# Finally the same device opens fine: nothing above left it in a bad state.
attempt good "$VIRTIO" ./panamax pktgen "$VIRTIO" --count 100 --pps 1000
echo "STATE end hugepages_free=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages)/$(cat /proc/sys/vm/nr_hugepages) files=$(find /dev/hugepages -type f | wc -l)"
