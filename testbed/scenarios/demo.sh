#!/bin/sh
# The demo: pktgen on NIC 0 -> (hub 0) -> fwd NIC 1 => NIC 2 -> (hub 1) -> recv on NIC 3,
# all four emulated virtio NICs driven by Panamax. Each app writes its full output to
# /run/APP.log; the console shows one line per second for the whole chain (every app's current
# rate), then each app's own summary lines and a table. The receiver runs in promiscuous mode:
# fwd does not rewrite MAC addresses. Exit status 0 only if all three apps succeeded (recv:
# every frame 0..N-1 arrived exactly once, none corrupt).
. "$(dirname "$0")/lib.sh"
N="${N:-20000}"
PPS="${PPS:-2000}"
GEN="$(nic_pci 0)"
FIN="$(nic_pci 1)"
FIN_MAC="$(nic_mac 1)"
FOUT="$(nic_pci 2)"
RX="$(nic_pci 3)"

echo "demo: pktgen $GEN ~hub 0~> fwd $FIN => $FOUT ~hub 1~> recv $RX"
if [ "$PPS" -gt 0 ]; then
  echo "demo: $N frames at $PPS pps (PANAMAX_DEMO_FRAMES, PANAMAX_DEMO_PPS). The rate is limited"
  echo "demo:   because the three apps and the emulated NICs share the VM's 2 emulated CPUs: an"
  echo "demo:   unthrottled sender can outrun the forwarder, and dropped frames count as lost."
  echo "demo:   PANAMAX_DEMO_PPS=0 ./panamax demo sends as fast as it can; ./panamax demo --local"
  echo "demo:   shows the full rate of the same chain over in-memory links."
else
  echo "demo: $N frames, unthrottled (PANAMAX_DEMO_PPS=0): frames dropped on the way count as lost"
fi
echo "demo: starting recv and fwd (each JVM takes a few seconds to start under emulation)"
(./panamax recv "$RX" --promisc --count "$N" --seconds 600 --idle 30 --backoff > /run/recv.log 2>&1
 echo $? > /run/recv.rc) &
(./panamax fwd "$FIN" "$FOUT" --count "$N" --seconds 600 --idle 30 --backoff --hold > /run/fwd.log 2>&1
 echo $? > /run/fwd.rc) &
wait_for /run/recv.log '^recv on' 180 > /dev/null || { cat /run/recv.log; exit 10; }
wait_for /run/fwd.log '^fwd ' 180 > /dev/null || { cat /run/fwd.log; exit 11; }
grep -m1 '^recv on' /run/recv.log | sed 's/^/[recv]   /'
grep -m1 '^fwd ' /run/fwd.log | sed 's/^/[fwd]    /'
(./panamax pktgen "$GEN" --count "$N" --pps "$PPS" --dst "$FIN_MAC" --batch 32 --backoff \
   > /run/pktgen.log 2>&1; echo $? > /run/pktgen.rc) &
wait_for /run/pktgen.log '^pktgen on' 180 > /dev/null || { cat /run/pktgen.log; exit 12; }
grep -m1 '^pktgen on' /run/pktgen.log | sed 's/^/[pktgen] /'

# One line per second for the whole chain: each device's rate from its app's last stats line
# ("DEV RX 0 pps 0 bit/s | TX 2.00 kpps 1.34 Mbit/s"). One awk per line: under emulation every
# process start costs tens of milliseconds.
START="$(cut -d' ' -f1 /proc/uptime)"
while [ ! -f /run/pktgen.rc ] || [ ! -f /run/fwd.rc ] || [ ! -f /run/recv.rc ]; do
  sleep 1
  # An app that has ended shows "done" instead of its last rate.
  gd=0; fd=0; rd=0
  [ -f /run/pktgen.rc ] && gd=1
  [ -f /run/fwd.rc ] && fd=1
  [ -f /run/recv.rc ] && rd=1
  awk -v start="$START" -v gen="$GEN" -v fin="$FIN" -v fout="$FOUT" -v rx="$RX" \
      -v gd="$gd" -v fd="$fd" -v rd="$rd" '
    function rate(line, dir, done) {
      if (done) return "done"
      return match(line, dir " [0-9.]+ [kMG]?pps") ? substr(line, RSTART + 3, RLENGTH - 3) : "-"
    }
    function short(pci) { sub(/^0000:/, "", pci); return pci }
    FILENAME == "/run/pktgen.log" && index($0, gen " RX ") == 1 { g = $0 }
    FILENAME == "/run/fwd.log" && index($0, fin " RX ") == 1 { a = $0 }
    FILENAME == "/run/fwd.log" && index($0, fout " RX ") == 1 { b = $0 }
    FILENAME == "/run/recv.log" && index($0, rx " RX ") == 1 { r = $0 }
    FILENAME == "/proc/uptime" { now = $1 }
    END {
      printf "demo %4d s | pktgen %s TX %-9s | fwd %s RX %-9s => %s TX %-9s | recv %s RX %s\n",
        now - start, short(gen), rate(g, "TX", gd), short(fin), rate(a, "RX", fd), short(fout),
        rate(b, "TX", fd), short(rx), rate(r, "RX", rd)
    }' /run/pktgen.log /run/fwd.log /run/recv.log /proc/uptime
done

PRC="$(cat /run/pktgen.rc)"
FRC="$(cat /run/fwd.rc)"
RRC="$(cat /run/recv.rc)"
# Each app's own closing lines (everything after its per-second stats), or all of it on failure.
for app in pktgen fwd recv; do
  case $app in pktgen) prefix='[pktgen]' ;; fwd) prefix='[fwd]   ' ;; *) prefix='[recv]  ' ;; esac
  if [ "$(cat /run/$app.rc)" = 0 ]; then
    grep -E "^$app(:| summary:)" /run/$app.log | sed "s/^/$prefix /"
  else
    echo "demo: $app failed (exit $(cat /run/$app.rc)); its whole output:"
    sed "s/^/$prefix /" /run/$app.log
  fi
done

# field LOG REGEX: the first group of REGEX (sed -E) on the first matching line, or "?".
field() { sed -nE "s/$2/\1/p" "$1" | head -n 1 | grep . || echo "?"; }
per_packet() { field "$1" '.*\(([0-9.]+) B\/packet\).*'; }
SENT="$(field /run/pktgen.log '^pktgen: sent ([0-9]+) packets.*')"
FWD="$(field /run/fwd.log '^fwd: forwarded ([0-9]+) packets.*')"
DROP="$(field /run/fwd.log '^fwd: forwarded .*, dropped ([0-9]+).*')"
VALID="$(field /run/recv.log '^recv summary: valid ([0-9]+),.*')"
CORRUPT="$(field /run/recv.log '^recv summary: .*, corrupt ([0-9]+),.*')"
DUPS="$(field /run/recv.log '^recv summary: .*, duplicates ([0-9]+),.*')"
LOST="$(field /run/recv.log '^recv summary: .*, lost ([0-9]+),.*')"
echo "demo summary:"
printf '  %-7s %-29s %-44s %9s %5s\n' app "device(s)" packets B/packet exit
printf '  %-7s %-29s %-44s %9s %5s\n' pktgen "$GEN" "sent $SENT" "$(per_packet /run/pktgen.log)" "$PRC"
printf '  %-7s %-29s %-44s %9s %5s\n' fwd "$FIN => $FOUT" "forwarded $FWD, dropped $DROP" \
  "$(per_packet /run/fwd.log)" "$FRC"
printf '  %-7s %-29s %-44s %9s %5s\n' recv "$RX" \
  "valid $VALID of $N, lost $LOST, corrupt $CORRUPT, dup $DUPS" "$(per_packet /run/recv.log)" "$RRC"
echo "RESULT pktgen=$PRC fwd=$FRC recv=$RRC"
[ "$PRC" = 0 ] && [ "$FRC" = 0 ] && [ "$RRC" = 0 ]
