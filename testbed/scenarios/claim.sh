#!/bin/sh
# Scenario: one driver instance per device. NICs: 0 e1000, 1 igb, 2 e1000, all on one hub.
# 1. Two processes: recv holds NIC 0; pktgen on NIC 0 is refused, naming recv's PID.
# 2. One process: fwd with NIC 1 twice (two spellings of one address) is refused.
# 3. NIC 2's kernel interface is down but has IPv4 and IPv6 addresses: refused, addresses kept.
# 4. NIC 2 bound to vfio-pci: on the physical path (--dma physical) it is refused, and taken
#    only with --take-over-from vfio-pci, which binds vfio-pci back at the end. Taken, it sends
#    200 frames to recv, which must get every one: the refused opener did not disturb it.
# 5. NIC 2 still bound to vfio-pci, through VFIO (the default): while another program holds its
#    IOMMU group open (this shell), the kernel refuses a second opener; once it is let go, the
#    device is opened through VFIO as it is, and given back to vfio-pci.
# Prints "CHECK name rc=N before=X after=Y" and "MESSAGE name ..." per attempt, the lock file
# while recv holds the device ("LOCK ..."), recv's output and its status ("RESULT recv=N").
. "$(dirname "$0")/lib.sh"
NIC0="$(nic_pci 0)"
NIC0_MAC="$(nic_mac 0)"
NIC1="$(nic_pci 1)"
NIC2="$(nic_pci 2)"

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

# recv holds NIC 0 until it has 200 frames: they come from NIC 2 at the end, after all refusals.
./panamax recv "$NIC0" --count 200 --seconds 300 --backoff > /run/recv.log 2>&1 &
RECV=$!
echo "HOLDER recv pid=$RECV"

# 2 and 3 involve neither NIC 0 nor each other: they run while recv starts (each attempt is
# mostly a JVM start), and their lines are printed after 1's.
# 2. One process, one device twice.
attempt same-process "$NIC1" ./panamax fwd "${NIC1#0000:}" "$NIC1" --count 1 > /run/claim-2.out &
ATTEMPT2=$!
# 3. A down interface with addresses: refused, the addresses stay.
IFACE="$(ls "/sys/bus/pci/devices/$NIC2/net/")"
ip addr add 10.9.0.1/24 dev "$IFACE"
ip addr add fd00::5/64 dev "$IFACE"
attempt addresses "$NIC2" ./panamax pktgen "$NIC2" --count 10 > /run/claim-3.out &
ATTEMPT3=$!

wait_for /run/recv.log '^recv on' 200 || { kill "$RECV"; exit 10; }
echo "LOCK $(tr '\n' ' ' < "/run/panamax/$NIC0.lock")"

# 1. A second process.
attempt second-process "$NIC0" ./panamax pktgen "$NIC0" --count 10

wait "$ATTEMPT2" "$ATTEMPT3"
cat /run/claim-2.out /run/claim-3.out
echo "STATE addresses iface=$IFACE flags=$(cat "/sys/class/net/$IFACE/flags")" \
  "$(ip -o addr show dev "$IFACE" | awk '{print $3 "=" $4}' | tr '\n' ' ')"
ip addr flush dev "$IFACE"

# 4. A device bound to vfio-pci; once taken, it sends recv its frames.
echo vfio-pci > "/sys/bus/pci/devices/$NIC2/driver_override"
echo "$NIC2" > "/sys/bus/pci/devices/$NIC2/driver/unbind"
echo "$NIC2" > /sys/bus/pci/drivers_probe
attempt vfio-refused "$NIC2" ./panamax pktgen "$NIC2" --count 200 --dma physical
attempt vfio-taken "$NIC2" ./panamax pktgen "$NIC2" --count 200 --pps 500 --dst "$NIC0_MAC" \
  --backoff --dma physical --take-over-from vfio-pci

# 5. The same device through VFIO: its group is exclusive.
GROUP="$(basename "$(readlink "/sys/bus/pci/devices/$NIC2/iommu_group")")"
exec 3<>"/dev/vfio/$GROUP"
attempt group-busy "$NIC2" ./panamax pktgen "$NIC2" --count 1 --dst 02:00:00:00:00:99
exec 3>&-
attempt group-free "$NIC2" ./panamax pktgen "$NIC2" --count 1 --dst 02:00:00:00:00:99

# recv was undisturbed by the refused opener: every frame arrived.
wait "$RECV"
echo "RESULT recv=$? driver_after=$(driver_of "$NIC0") lock=[$(cat "/run/panamax/$NIC0.lock")]"
sed 's/^/recv| /' /run/recv.log
echo "STATE end locks=$(ls /run/panamax/*.lock | wc -l) nonempty=$(find /run/panamax -name '*.lock' -size +0 | wc -l)"
