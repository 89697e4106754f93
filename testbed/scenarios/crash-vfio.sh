#!/bin/sh
# Scenario: a driver process killed with SIGKILL while it drives a NIC through VFIO. The kernel
# closes its VFIO files: vfio-pci turns bus mastering off and resets the function, the IOMMU
# mappings go, and the process's hugepages return to the system at once (nothing is kept).
# NICs: 0 igb (the victim, through VFIO), 1 e1000 (kernel driver, the sender), one hub.
# 1. recv runs on the igb and is killed with SIGKILL.
# 2. A bystander (testbed Bystander.java) takes every free hugepage and fills it with a pattern.
# 3. The guest kernel sends frames to the dead NIC's MAC through the e1000.
# 4. The bystander checks every word; then recv opens the NIC again and gives it back to igb.
# Prints "STATE ...", the bystander's and recv's output and "RESULT ..." lines.
. "$(dirname "$0")/lib.sh"
VICTIM="$(nic_pci 0)"
VICTIM_MAC="$(nic_mac 0)"
SENDER="$(nic_pci 1)"
POOL=/sys/kernel/mm/hugepages/hugepages-2048kB
pool_state() { echo "free=$(cat $POOL/free_hugepages)/$(cat $POOL/nr_hugepages)"; }
# Bus Master Enable: bit 2 of the command register (config offset 4).
bus_master() { echo $(( $(od -An -tu1 -j4 -N1 "/sys/bus/pci/devices/$1/config") >> 2 & 1 )); }

echo "STATE start $(pool_state) driver=$(driver_of "$VICTIM")"
./panamax recv "$VICTIM" --seconds 600 --backoff > /run/recv.log 2>&1 &
R=$!
wait_for /run/recv.log '^recv on' 200 || { cat /run/recv.log; exit 10; }
grep -E '^recv: .*DMA' /run/recv.log
echo "STATE running bus_master=$(bus_master "$VICTIM") driver=$(driver_of "$VICTIM")"
kill -KILL "$R"
wait "$R"
echo "KILLED recv rc=$?"
sleep 1
echo "STATE killed $(pool_state) bus_master=$(bus_master "$VICTIM") driver=$(driver_of "$VICTIM")" \
  "files=$(find /dev/hugepages -type f | wc -l)"

"$JAVA_HOME/bin/java" -XX:-TieredCompilation -cp testbed/target/test-classes dev.panamax.testbed.Bystander \
  /dev/hugepages /run/bystander.go "$(nic_mac 1)" > /run/bystander.log 2>&1 &
B=$!
wait_for /run/bystander.log '^bystander: took' 200 || { cat /run/bystander.log; exit 11; }
echo "STATE bystander $(pool_state)"
IF="$(ls "/sys/bus/pci/devices/$SENDER/net/")"
ip addr add 10.13.0.1/24 dev "$IF" && ip link set "$IF" up
ip neigh replace 10.13.0.2 lladdr "$VICTIM_MAC" dev "$IF" nud permanent
tries=0
while [ "$(cat "/sys/class/net/$IF/carrier" 2>/dev/null)" != 1 ] && [ $tries -lt 60 ]; do
  sleep 0.5
  tries=$((tries + 1))
done
ping -q -n -c 600 -i 0.002 10.13.0.2 > /dev/null 2>&1
echo "SENT $IF tx_packets=$(cat "/sys/class/net/$IF/statistics/tx_packets")"
ip link set "$IF" down
sleep 1
touch /run/bystander.go
wait "$B"
BRC=$?
cat /run/bystander.log
echo "RESULT bystander=$BRC"

./panamax recv "$VICTIM" --seconds 2 --backoff > /run/reopen.log 2>&1
echo "RESULT reopen=$?"
grep -E '^panamax: |^recv: .*DMA' /run/reopen.log
echo "STATE end $(pool_state) driver=$(driver_of "$VICTIM") records=$(ls /run/panamax/*.driver 2>/dev/null | wc -l)"
