#!/bin/sh
# Non-root after one-time set-up. NIC 0: e1000 (0000:01:00.0), NIC 1: igb (0000:02:00.0), on one
# hub. The commands docs/getting-started.md shows are run here as written there.
# As root, './panamax bind' gives both NICs to vfio-pci for user nobody (uid 65534); then, as
# nobody with no capabilities at all, recv on the e1000 verifies what pktgen on the igb sends,
# and the locked memory each app pins is read from /proc/PID/status (VmLck).
# Refusals: an app as nobody on a NIC still bound to its kernel driver, and an app as nobody
# under the default 8 MiB locked-memory limit. Finally './panamax unbind' gives both NICs back.
. "$(dirname "$0")/lib.sh"
E1000="$(nic_pci 0)"
IGB="$(nic_pci 1)"
AS_NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all"

for dev in "$E1000" "$IGB"; do
  ip link set dev "$(ls "/sys/bus/pci/devices/$dev/net")" down
done

# peak_vmlck PID: the largest VmLck (kB) of a background job until it ends (a zombie, not yet
# waited for, has no memory left).
peak_vmlck() {
  peak=0
  while status="$(cat "/proc/$1/status" 2>/dev/null)" && ! echo "$status" | grep -q '^State:.*Z'; do
    kb="$(echo "$status" | sed -n 's/^VmLck:[[:space:]]*\([0-9]*\) kB/\1/p')"
    [ -n "$kb" ] && [ "$kb" -gt "$peak" ] && peak="$kb"
    sleep 0.2
  done
  echo "$peak"
}

# step TEXT: marks a step, with the guest's uptime.
step() {
  echo "STEP $1 (uptime $(cut -d' ' -f1 /proc/uptime) s)"
}

step "refusal on a NIC bound to its kernel driver"
$AS_NOBODY ./panamax pktgen "$E1000" --count 1 > /tmp/refused.log 2>&1
echo "RESULT refused=$? driver=$(driver_of "$E1000")"
cat /tmp/refused.log

step "bind"
./panamax bind 0000:01:00.0 0000:02:00.0 --user nobody
echo "RESULT bind=$? e1000=$(driver_of "$E1000") igb=$(driver_of "$IGB")"
./panamax bind "$E1000" "$IGB" --user nobody > /tmp/bind-again.log 2>&1
echo "RESULT bind-again=$?"
sed 's/^/AGAIN /' /tmp/bind-again.log
for f in /dev/vfio/* /run/panamax /run/panamax/*.lock /run/panamax/*.bound /dev/hugepages/panamax; do
  echo "FILE $(stat -c '%n %U %a' "$f")"
done
sed 's/^/RECORD /' /run/panamax/"$E1000".bound

step "memlock refusal (limit $(ulimit -l) KiB)"
$AS_NOBODY ./panamax recv "$E1000" --count 1 --seconds 5 > /tmp/memlock.log 2>&1
echo "RESULT memlock=$? driver=$(driver_of "$E1000")"
cat /tmp/memlock.log

LIMIT="$(sed -n "s/.*'ulimit -l \([0-9]*\)'.*/\1/p" /tmp/bind-again.log)"
[ "$LIMIT" = 45056 ] || echo "bind printed an unexpected limit: '$LIMIT'"
ulimit -l 45056
step "run as nobody (limit $(ulimit -l) KiB)"
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all ./panamax recv 0000:01:00.0 --count 300 --seconds 200 --idle 30 --backoff > /tmp/recv.log 2>&1 &
RECV=$!
wait_for /tmp/recv.log '^recv on' 300 || exit 1
grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb):' "/proc/$RECV/status" | sed 's/^/PROC recv /'
echo "MEMLOCK recv $(sed -n 's/^VmLck:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$RECV/status") kB"
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all ./panamax pktgen 0000:02:00.0 --count 300 --pps 300 --backoff --dst 52:54:00:00:00:10 > /tmp/pktgen.log 2>&1 &
PKTGEN=$!
echo "MEMLOCK pktgen $(peak_vmlck "$PKTGEN") kB"
wait "$PKTGEN"
echo "RESULT pktgen=$?"
wait "$RECV"
echo "RESULT recv=$?"
sed 's/^/RECV /' /tmp/recv.log
sed 's/^/PKTGEN /' /tmp/pktgen.log
echo "STATE after apps e1000=$(driver_of "$E1000") igb=$(driver_of "$IGB") records=$(cd /run/panamax && ls -- *.driver *.bound 2>/dev/null | tr '\n' ' ')"

step "unbind"
./panamax unbind 0000:01:00.0 0000:02:00.0
echo "RESULT unbind=$? e1000=$(driver_of "$E1000") igb=$(driver_of "$IGB")"
./panamax unbind "$E1000" > /tmp/unbind-again.log 2>&1
echo "RESULT unbind-again=$?"
cat /tmp/unbind-again.log
step "end"
echo "STATE end hugepages_free=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages)/$(cat /proc/sys/vm/nr_hugepages) vfio=$(ls /dev/vfio | tr '\n' ' ')"
