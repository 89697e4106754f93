#!/bin/sh
# Scenario: the IOMMU confines a device that is told to write outside Panamax's memory.
# NIC 1 (igb) is opened through VFIO by a probe from the test sources
# (dev.panamax.impl.probe.DmaConfinementProbe, never in a Panamax jar) whose receive buffers
# carry an I/O virtual address at which nothing is mapped; the buffers themselves are a canary
# filled with a pattern. NIC 0 (e1000) sends COUNT frames to it. Prints the probe's report, the
# guest kernel's DMAR fault lines and a RESULT line; exit 0 only if the probe saw frames, the
# device wrote none of them, the canary is intact and the kernel logged a DMAR fault for NIC 1.
. "$(dirname "$0")/lib.sh"
COUNT="${COUNT:-200}"
TXP="$(nic_pci 0)"
RXP="$(nic_pci 1)"
RXM="$(nic_mac 1)"
JAVA="$(ls -d /usr/lib/jvm/*-25-* 2>/dev/null | head -1)/bin/java"
CP="impl/target/test-classes:$(ls examples/target/lib/*.jar | tr '\n' ':')"
[ -f impl/target/test-classes/dev/panamax/impl/probe/DmaConfinementProbe.class ] \
  || { echo "the probe is not compiled (impl/target/test-classes): build with tests first"; exit 10; }
"$JAVA" -XX:-TieredCompilation --enable-native-access=ALL-UNNAMED -cp "$CP" dev.panamax.impl.probe.DmaConfinementProbe \
  "$RXP" "${SECONDS_RX:-30}" > /run/probe.log 2>&1 &
PROBE=$!
wait_for /run/probe.log '^probe: .*posted at unmapped' 300 || { cat /run/probe.log; kill "$PROBE"; exit 11; }
sleep 2
./panamax pktgen "$TXP" --count "$COUNT" --pps 100 --dst "$RXM" 2>&1 | grep -E '^pktgen: (sent|0000)'
wait "$PROBE"
PRC=$?
cat /run/probe.log
BUS="$(echo "$RXP" | cut -d: -f2-3)"
FAULTS="$(dmesg | grep -c "DMAR: \[DMA Write.*Request device \[$BUS")"
dmesg | grep -A1 "DMAR: \[DMA Write.*Request device \[$BUS" | head -2
echo "RESULT confinement probe=$PRC dmar_write_faults=$FAULTS driver_after=$(driver_of "$RXP")"
[ "$PRC" = 0 ] && [ "$FAULTS" -gt 0 ]
