#!/bin/sh
# Scenario: a driver process killed with SIGKILL leaves its NIC running: rings armed, bus
# mastering on. Its DMA memory must not go back to the system until the NIC is stopped.
# NICs: 0 e1000 and 1 virtio-modern (the victims), 2 igb (kernel driver, the sender), one hub.
# 1. recv runs on both victims and is killed with SIGKILL.
# 2. A bystander (testbed Bystander.java) takes every free hugepage and fills it with a pattern.
# 3. The guest kernel sends frames to both dead NICs' MACs through the igb (ping with fixed
#    neighbour entries), so the NICs write received frames and descriptor write-backs.
# 4. The bystander checks every word, then counts the frames in the files the dead recv kept.
# 5. ./panamax recover resets the e1000; the virtio NIC is recovered by the next open (recv).
# Prints "STATE ...", "FILE ...", "RECORD ...", the bystander's, recover's and recv's output and
# "RESULT ..." lines.
. "$(dirname "$0")/lib.sh"
E1000="$(nic_pci 0)"
E1000_MAC="$(nic_mac 0)"
VIRTIO="$(nic_pci 1)"
VIRTIO_MAC="$(nic_mac 1)"
SENDER="$(nic_pci 2)"
SENDER_MAC="$(nic_mac 2)"
POOL=/sys/kernel/mm/hugepages/hugepages-2048kB
pool_state() { echo "free=$(cat $POOL/free_hugepages)/$(cat $POOL/nr_hugepages)"; }

echo "STATE start $(pool_state) driver_e1000=$(driver_of "$E1000") driver_virtio=$(driver_of "$VIRTIO")"
# The physical path (VFIO needs no such care: testbed/scenarios/crash-vfio.sh).
./panamax recv "$E1000" --seconds 600 --backoff --dma physical > /run/recv-e1000.log 2>&1 &
R1=$!
./panamax recv "$VIRTIO" --seconds 600 --backoff --dma physical > /run/recv-virtio.log 2>&1 &
R2=$!
wait_for /run/recv-e1000.log '^recv on' 200 || exit 10
wait_for /run/recv-virtio.log '^recv on' 200 || exit 10
kill -KILL "$R1" "$R2"
wait "$R1"
K1=$?
wait "$R2"
K2=$?
echo "KILLED recv e1000 rc=$K1 virtio rc=$K2"
echo "STATE killed $(pool_state) driver_e1000=$(driver_of "$E1000") driver_virtio=$(driver_of "$VIRTIO")"
find /dev/hugepages -type f -exec ls -l {} + | awk '{print "FILE " $5 " " $9}'
for f in /run/panamax/*.driver; do
  echo "RECORD $f $(tr '\n' ' ' < "$f")"
done

# The bystander takes every free hugepage.
"$JAVA_HOME/bin/java" -XX:-TieredCompilation -cp testbed/target/test-classes dev.panamax.testbed.Bystander \
  /dev/hugepages /run/bystander.go "$SENDER_MAC" /dev/hugepages/panamax/* > /run/bystander.log 2>&1 &
B=$!
wait_for /run/bystander.log '^bystander: took' 200 || { kill "$B"; exit 11; }
echo "STATE bystander $(pool_state)"

# Frames to both dead NICs, from the kernel's igb driver.
IF="$(ls "/sys/bus/pci/devices/$SENDER/net/")"
ip addr add 10.12.0.1/24 dev "$IF" && ip link set "$IF" up || exit 12
ip neigh replace 10.12.0.2 lladdr "$E1000_MAC" dev "$IF" nud permanent
ip neigh replace 10.12.0.3 lladdr "$VIRTIO_MAC" dev "$IF" nud permanent
tries=0
while [ "$(cat "/sys/class/net/$IF/carrier" 2>/dev/null)" != 1 ] && [ $tries -lt 60 ]; do
  sleep 0.5
  tries=$((tries + 1))
done
ping -q -n -c 600 -i 0.002 10.12.0.2 > /dev/null 2>&1
ping -q -n -c 600 -i 0.002 10.12.0.3 > /dev/null 2>&1
echo "SENT $IF tx_packets=$(cat "/sys/class/net/$IF/statistics/tx_packets")"
ip link set "$IF" down
ip addr flush dev "$IF"
sleep 1

touch /run/bystander.go
wait "$B"
BRC=$?
cat /run/bystander.log
echo "RESULT bystander=$BRC"

# Recovery: the e1000 with ./panamax recover, the virtio NIC by the next open.
./panamax recover "$E1000" > /run/recover.log 2>&1
echo "RESULT recover=$?"
cat /run/recover.log
./panamax recv "$VIRTIO" --seconds 2 --backoff > /run/reopen.log 2>&1
echo "RESULT reopen=$?"
grep -v Mpps /run/reopen.log
echo "STATE end $(pool_state) driver_e1000=$(driver_of "$E1000") driver_virtio=$(driver_of "$VIRTIO") files=$(find /dev/hugepages -type f | wc -l) records=$(find /run/panamax -name '*.driver' | wc -l)"
