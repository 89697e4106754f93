#!/bin/sh
# Scenario: the guest kernel pings the respond app. NIC 0 stays with its kernel driver and gets
# 10.11.0.1/24; ./panamax respond answers for 10.11.0.2 on NIC 1, on the same hub. The kernel
# resolves 10.11.0.2 with ARP and sends COUNT echo requests with ping; then the responder is
# stopped with SIGTERM (as Ctrl-C would) and prints its counters.
# Prints ping's output, the kernel's neighbour entry ("NEIGH ..."), the responder's output and a
# RESULT line. Exit status 0 only if every ping was answered and the responder shut down cleanly.
. "$(dirname "$0")/lib.sh"
COUNT="${COUNT:-20}"
KERNEL_NIC="$(nic_pci 0)"
NIC="$(nic_pci 1)"
MAC="$(nic_mac 1)"
IF="$(ls "/sys/bus/pci/devices/$KERNEL_NIC/net/" 2>/dev/null | head -1)"
if [ -z "$IF" ]; then
  echo "no kernel interface for $KERNEL_NIC (driver $(driver_of "$KERNEL_NIC"))"
  exit 10
fi
echo "scenario respond: $IF ($KERNEL_NIC, $(driver_of "$KERNEL_NIC")) 10.11.0.1 pings respond on $NIC ($MAC) 10.11.0.2"
ip addr add 10.11.0.1/24 dev "$IF" && ip link set "$IF" up || exit 11
LOG=/run/respond.log
./panamax respond "$NIC" 10.11.0.2 --seconds 600 --backoff > "$LOG" 2>&1 &
RPID=$!
wait_for "$LOG" '^respond on' 300 || { kill "$RPID"; exit 12; }
# The kernel's link must be up (carrier) before ping, or the first requests go nowhere.
tries=0
while [ "$(cat "/sys/class/net/$IF/carrier" 2>/dev/null)" != 1 ] && [ $tries -lt 60 ]; do
  sleep 0.5
  tries=$((tries + 1))
done
echo "LINK $IF carrier=$(cat "/sys/class/net/$IF/carrier" 2>/dev/null) operstate=$(cat "/sys/class/net/$IF/operstate")"
ping -n -c "$COUNT" -i 0.2 10.11.0.2 > /run/ping.log 2>&1
PING=$?
cat /run/ping.log
echo "NEIGH $(ip neigh show 10.11.0.2 dev "$IF")"
kill -TERM "$RPID"
wait "$RPID"
RRC=$?
cat "$LOG"
echo "RESULT ping=$PING respond=$RRC driver_after=$(driver_of "$NIC")"
# 143 = 128 + SIGTERM: the JVM ends with the signal's status after the responder's clean stop.
[ "$PING" = 0 ] && [ "$RRC" = 143 ] && grep -q '^respond summary: .*, stopped by signal;' "$LOG"
