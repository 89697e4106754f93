#!/bin/sh
# Scenario: Ctrl-C (SIGINT) and SIGTERM stop every app cleanly. Each app runs on an emulated NIC
# until it gets a signal; it must then stop its device(s), give them back to their kernel
# drivers, print its summary and exit with 128 + the signal (130 for SIGINT, 143 for SIGTERM).
# NICs: 0 e1000, 1 virtio-legacy, 2 igb, 3 virtio-modern, 4 e1000, 5 igb, 6 virtio-legacy, all
# on one hub.
#   pktgen on NIC 0 sends to recv on NIC 3 (SIGINT to pktgen, then SIGTERM to recv);
#   fwd between NICs 1 and 2 (SIGTERM); pcap on NIC 4 (SIGTERM); respond on NIC 5 (SIGINT);
#   the Kotlin flows monitor on NIC 6 (SIGTERM).
# pcap and respond sleep on their receive interrupts (--interrupts, through VFIO), so the signal
# finds them blocked in a wait; the others poll with --backoff. (Idle apps that sleep also leave
# the two vCPUs to the others' start-up.)
# Prints per app "RESULT app=NAME signal=SIG rc=N" and "DRIVER nic=PCI before=X after=Y", the
# apps' output, and at the end the hugepage pool and what is left in /dev/hugepages.
. "$(dirname "$0")/lib.sh"
E1000="$(nic_pci 0)"
LEGACY="$(nic_pci 1)"
IGB="$(nic_pci 2)"
MODERN="$(nic_pci 3)"
MODERN_MAC="$(nic_mac 3)"
E1000_2="$(nic_pci 4)"
IGB_2="$(nic_pci 5)"
LEGACY_2="$(nic_pci 6)"
for nic in "$E1000" "$LEGACY" "$IGB" "$MODERN" "$E1000_2" "$IGB_2" "$LEGACY_2"; do
  eval "BEFORE_$(echo "$nic" | tr ':.' '__')=$(driver_of "$nic")"
done

# note_time EVENT: prints the guest's uptime with an event, to see where the time goes.
note_time() { echo "AT $(cut -d' ' -f1 /proc/uptime) $*"; }

# start_app NAME COMMAND...: runs the app in the background with SIGINT at its default action (a
# non-interactive shell starts background jobs with SIGINT ignored, and a JVM keeps it ignored).
start_app() {
  name="$1"
  shift
  note_time "start $name"
  env --default-signal=INT "$@" > "/run/$name.log" 2>&1 &
  eval "PID_$name=$!"
}

# await_app NAME PATTERN: waits for the app's first line, then a second more of running.
await_app() {
  wait_for "/run/$1.log" "$2" 300 || exit 10
  note_time "$1 ready"
  sleep 1
}

# signal_app NAME SIGNAL NIC...: signals the app, waits for it, reports its status and the drivers.
signal_app() {
  name="$1"
  sig="$2"
  shift 2
  eval "pid=\$PID_$name"
  note_time "signal $name"
  kill -s "$sig" "$pid"
  wait "$pid"
  rc=$?
  note_time "$name ended"
  echo "RESULT app=$name signal=$sig rc=$rc"
  sed "s/^/$name| /" "/run/$name.log"
  for nic in "$@"; do
    eval "before=\$BEFORE_$(echo "$nic" | tr ':.' '__')"
    echo "DRIVER app=$name nic=$nic before=$before after=$(driver_of "$nic")"
  done
}

# All six start at once (JVM start-up dominates under TCG), then each gets its signal in turn.
start_app recv ./panamax recv "$MODERN" --seconds 300 --backoff
start_app pktgen ./panamax pktgen "$E1000" --pps 500 --dst "$MODERN_MAC" --backoff
start_app fwd ./panamax fwd "$LEGACY" "$IGB" --backoff
start_app pcap ./panamax pcap "$E1000_2" /run/signals.pcap --interrupts
start_app respond ./panamax respond "$IGB_2" 10.11.0.2 --interrupts
start_app flows ./panamax flows "$LEGACY_2" --seconds 0 --interval 0 --backoff
await_app recv '^recv on'
await_app pktgen '^pktgen on'
await_app fwd '^fwd '
await_app pcap '^pcap on'
await_app respond '^respond on'
await_app flows '^flows on'
# pktgen's frames reach recv over the hub for a while before both are stopped.
sleep 2
signal_app pktgen INT "$E1000"
signal_app recv TERM "$MODERN"
signal_app fwd TERM "$LEGACY" "$IGB"
signal_app pcap TERM "$E1000_2"
signal_app respond INT "$IGB_2"
signal_app flows TERM "$LEGACY_2"

POOL=/sys/kernel/mm/hugepages/hugepages-2048kB
echo "HUGEPAGES free=$(cat $POOL/free_hugepages) total=$(cat $POOL/nr_hugepages) files=$(find /dev/hugepages -type f | wc -l) records=$(find /run/panamax -name "*.driver" | wc -l)"
