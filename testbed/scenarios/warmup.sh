#!/bin/sh
# Scenario: warm-up of pktgen with and without the AOT cache (examples/target/panamax.aot, made
# by the build; docs/performance.md "Warm-up"). NIC 0 sends 60-byte frames for SECONDS (default
# 8) from a cold JVM; NIC 1, a virtio NIC on the same hub, is a sink (kernel interface up).
# ROUNDS rounds (default 3), with and without the cache alternating, the order swapped every
# other round. A first, uncounted run loads the JDK and the jars into the guest's page cache and
# checks that the guest's JVM maps the cache: it counts the Panamax classes it took from it.
#
#   ./panamax vm --nics virtio-modern,virtio-modern --timeout 1200 -- testbed/scenarios/warmup.sh
#
# With OLD=DIR (a checkout of an older build, e.g. a git worktree after './panamax build'), its
# pktgen runs too, as a third mode "old", in the same rotation.
#
# Per run: "WARMUP round R aot|no-aot|old: start S s, steady T s, sent N in SECONDS s; per
# second (kpps): r1 r2 ..."
#   S: from the launcher's start to pktgen's first line (JVM start, device open);
#   T: from the launcher's start to the end of the first second whose rate is at least 90 % of
#      the run's best second: start-up plus the JIT's warm-up, the time to the steady rate;
#   N: frames sent in the run (its clock starts after the open, so an earlier start is not
#      rewarded here; T is the figure to compare);
#   r1...: pktgen's per-second transmit rates in kpps.
# Exit 1 if a run failed or the cache was not used. Not part of ./panamax test: a measurement;
# the launcher's use of the cache is tested by AotCacheTest.
. "$(dirname "$0")/lib.sh"
SECS="${SECONDS:-8}"
ROUNDS="${ROUNDS:-3}"
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
PCI="$(nic_pci 0)"
for n in /sys/bus/pci/devices/$(nic_pci 1)/virtio*/net/*; do ip link set "$(basename "$n")" up; done

uptime_s() { read -r up _ < /proc/uptime; echo "$up"; }

# One pktgen run; every output line prefixed with the guest's uptime when it was read.
timed_pktgen() { # log, extra env (NAME=VALUE or empty), tree (default: this one)
  t0="$(uptime_s)"
  env $2 "${3:-$REPO}/panamax" pktgen "$PCI" --seconds "$SECS" --batch 64 --size 60 2>&1 \
    | while IFS= read -r line; do echo "$(uptime_s) $line"; done > "$1"
  echo "$t0"
}

t0="$(timed_pktgen /run/warmup.check.log "PANAMAX_JAVA_OPTS=-Xlog:class+load=info:file=/run/warmup.classes.log")"
shared="$(grep -c 'dev\.panamax\..* source: shared objects file' /run/warmup.classes.log)"
echo "check run: $shared Panamax classes from the AOT cache; $(grep -c 'dev\.panamax\..* source: file:' /run/warmup.classes.log) from the jars"
fail=0
[ "$shared" -gt 0 ] || { echo "warmup: the guest's JVM did not use the AOT cache"; sed 's/^/  /' /run/warmup.check.log; fail=1; }

round=1
while [ $round -le "$ROUNDS" ]; do
  if [ $((round % 2)) = 1 ]; then order="aot no-aot${OLD:+ old}"; else order="${OLD:+old }no-aot aot"; fi
  for mode in $order; do
    tree="$REPO"
    case "$mode" in
      aot) extra="" ;;
      no-aot) extra="PANAMAX_NO_AOT=1" ;;
      old) extra=""; tree="$OLD" ;;
    esac
    log=/run/warmup.$round.$mode.log
    t0="$(timed_pktgen "$log" "$extra" "$tree")"
    sent="$(sed -n 's/^[0-9.]* pktgen: sent \([0-9]*\) packets.*/\1/p' "$log")"
    [ -n "$sent" ] || { echo "WARMUP round $round $mode FAILED"; sed 's/^/  /' "$log"; fail=1; continue; }
    start="$(awk -v t0="$t0" '$2 == "pktgen" && $3 == "on" { printf "%.1f", $1 - t0; exit }' "$log")"
    rates="$(awk '$9 == "TX" { v = $10; u = $11
        if (u == "Mpps") v *= 1000; else if (u == "pps") v /= 1000
        printf "%s%.0f", sep, v; sep = " " }' "$log")"
    steady="$(awk -v t0="$t0" '$9 == "TX" { v = $10; u = $11
        if (u == "Mpps") v *= 1000; else if (u == "pps") v /= 1000
        t[++k] = $1; r[k] = v; if (v > best) best = v }
      END { for (i = 1; i <= k; i++) if (r[i] >= 0.9 * best) { printf "%.1f", t[i] - t0; exit } }' "$log")"
    echo "WARMUP round $round $mode: start $start s, steady ${steady:-?} s, sent $sent in $SECS s; per second (kpps): $rates"
  done
  round=$((round + 1))
done
exit $fail
