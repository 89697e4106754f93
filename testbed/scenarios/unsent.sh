#!/bin/sh
# Scenario: frames a device accepts but never transmits. NIC 0 (virtio) is alone on its hub:
# QEMU keeps its transmitted frames queued, as no other port can take them. pktgen must report
# that it sent none of them and exit with status 3, and still give the NIC back.
# Prints pktgen's output and "RESULT pktgen=N driver_after=X hugepages_free=F/T".
. "$(dirname "$0")/lib.sh"
NIC="$(nic_pci 0)"
./panamax pktgen "$NIC" --count 100 --pps 1000 > /run/pktgen.log 2>&1
RC=$?
grep -v Mpps /run/pktgen.log
POOL=/sys/kernel/mm/hugepages/hugepages-2048kB
echo "RESULT pktgen=$RC driver_after=$(driver_of "$NIC") hugepages_free=$(cat $POOL/free_hugepages)/$(cat $POOL/nr_hugepages)"
