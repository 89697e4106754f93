#!/bin/sh
# Soak: pktgen (NIC 0) ~hub 0~> fwd NIC 1 <=> NIC 2 ~hub 1~> recv (NIC 3, promiscuous), every frame
# verified, for DURATION seconds at PPS frames per second. Every INTERVAL seconds one SAMPLE line:
# the guest's hugepages in use and each app's heap use (their stats lines, with
# -Dpanamax.stats.memory). Ends with each app's summary and a RESULT line.
#   long form (docs/performance.md): DURATION=600 INTERVAL=60; short form in ./panamax test: 60 s.
. "$(dirname "$0")/lib.sh"
# Whatever happens, no app outlives the scenario (the VM ends when its output closes).
trap 'pkill -KILL -f dev.panamax.examples 2>/dev/null' EXIT
DURATION="${DURATION:-60}"
PPS="${PPS:-1000}"
INTERVAL="${INTERVAL:-10}"
N=$((DURATION * PPS))
GEN="$(nic_pci 0)"
FIN="$(nic_pci 1)"
FIN_MAC="$(nic_mac 1)"
FOUT="$(nic_pci 2)"
RX="$(nic_pci 3)"
export PANAMAX_JAVA_OPTS="${PANAMAX_JAVA_OPTS:-} -Dpanamax.stats.memory"

hugepages_in_use() {
  awk '/^HugePages_Total:/ { t = $2 } /^HugePages_Free:/ { f = $2 }
       /^Hugepagesize:/ { s = $2 } END { printf "%d", (t - f) * s / 1024 }' /proc/meminfo
}
# ended APP SUMMARY: the app exited or printed the line that precedes its close.
ended() { [ -f "/run/$1.rc" ] || grep -q "$2" "/run/$1.log"; }
# heap LOG: the heap use on the app's last stats line, e.g. "23.4".
heap() { sed -n 's/.* | heap \([0-9.]*\) MiB$/\1/p' "$1" | tail -n 1 | grep . || echo "-"; }

echo "soak: pktgen $GEN ~> fwd $FIN <=> $FOUT ~> recv $RX: $N frames at $PPS pps ($DURATION s)"
echo "soak: hugepages in use before the apps: $(hugepages_in_use) MiB"
(./panamax recv "$RX" --promisc --count "$N" --seconds $((DURATION + 600)) --idle 30 --backoff \
   > /run/recv.log 2>&1; echo $? > /run/recv.rc) &
(./panamax fwd "$FIN" "$FOUT" --count "$N" --seconds $((DURATION + 600)) --idle 30 --backoff --hold \
   > /run/fwd.log 2>&1; echo $? > /run/fwd.rc) &
wait_for /run/recv.log '^recv on' 180 > /dev/null || { cat /run/recv.log; exit 10; }
wait_for /run/fwd.log '^fwd ' 180 > /dev/null || { cat /run/fwd.log; exit 11; }
(./panamax pktgen "$GEN" --count "$N" --pps "$PPS" --dst "$FIN_MAC" --batch 32 --backoff \
   > /run/pktgen.log 2>&1; echo $? > /run/pktgen.rc) &
wait_for /run/pktgen.log '^pktgen on' 180 > /dev/null || { cat /run/pktgen.log; exit 12; }
START="$(cut -d' ' -f1 /proc/uptime)"
next=$INTERVAL
while [ ! -f /run/pktgen.rc ] || [ ! -f /run/fwd.rc ] || [ ! -f /run/recv.rc ]; do
  sleep 1
  t="$(awk -v s="$START" '{ printf "%d", $1 - s }' /proc/uptime)"
  [ "$t" -ge "$next" ] || continue
  next=$((next + INTERVAL))
  # Samples only while all three run: an app that ended has given its memory back. An app has
  # ended once it printed its summary (it closes its devices and frees its pools right after,
  # before its JVM exits and its status file appears).
  if ended pktgen '^pktgen: sent' || ended fwd '^fwd: forwarded' || ended recv '^recv summary'; then
    continue
  fi
  echo "SAMPLE t=${t}s hugepages_in_use=$(hugepages_in_use)MiB heap_pktgen=$(heap /run/pktgen.log)MiB" \
    "heap_fwd=$(heap /run/fwd.log)MiB heap_recv=$(heap /run/recv.log)MiB" \
    "recv_rate=$(sed -n "s/^$RX RX \([0-9.]* [kM]*pps\).*/\1/p" /run/recv.log | tail -n 1 | tr -d ' ')"
done
echo "soak: hugepages in use after the apps: $(hugepages_in_use) MiB"
for app in pktgen fwd recv; do
  grep -E "^(panamax )?$app(:| summary:)" /run/$app.log | sed "s/^/[$app] /"
done
PRC="$(cat /run/pktgen.rc)"
FRC="$(cat /run/fwd.rc)"
RRC="$(cat /run/recv.rc)"
echo "RESULT pktgen=$PRC fwd=$FRC recv=$RRC"
[ "$PRC" = 0 ] && [ "$FRC" = 0 ] && [ "$RRC" = 0 ]
