#!/usr/bin/env bash
# Runs one command inside a throw-away QEMU guest (TCG, q35 + intel-iommu) that sees the host's
# root filesystem read-only over 9p, with emulated NICs on one hub, and exits with its status.
#
# Usage: vm.sh [options] -- COMMAND [ARG...]
#   --nics LIST       comma-separated NIC models, in PCI order (default: none). Models:
#                     virtio-legacy virtio-modern virtio-modern-iommu e1000 e1000e igb
#                     rtl8139 (-iommu: DMA through the IOMMU, for VFIO), virtio-mq (modern,
#                     4 queue pairs with VIRTIO_NET_F_MQ and VIRTIO_NET_F_RSS; only on the tap
#                     bridge). NAME@H puts the NIC on hub H (default 0); NICs on one hub see
#                     each other's frames. NAME@t puts it on a tap device instead, enslaved to a
#                     Linux bridge that links all @t NICs: QEMU then runs in a private network
#                     namespace of its own (unshare -n), so the host's network never sees it.
#                     Only a tap backend has several queues (virtio-mq needs it).
#                     The i-th NIC (0-based)
#                     is at guest PCI 0000:0<i+1>:00.0 (behind its own PCIe root port)
#                     with MAC 52:54:00:00:00:1<i> (i <= 7).
#   --timeout SEC     kill the VM after SEC seconds, exit 124 (default 600)
#   --mem MB          guest memory (default 2048)
#   --smp N           guest CPUs (default 2)
#   --hugepages N     2 MiB hugepages reserved in the guest (default 256)
#   --workdir DIR     working directory of COMMAND, a host path (default: the current one)
#   --env NAME=VALUE  extra environment for COMMAND (repeatable); PATH and JAVA_HOME are
#                     taken from the host, HOME=/root
#   --log FILE        also copy the command's output (stdout+stderr) to FILE on the host
#   --qmp             let the guest drive QEMU's monitor (QMP): a command written to
#                     /run/panamax/share/qmp/NAME.req (one JSON line) is run on the host and
#                     QEMU's answer lands in NAME.rep; scenarios/lib.sh's 'qmp' does both.
#                     The i-th NIC has the device id nic<i> (device_del nic1, set_link nic1 off).
#   --verbose         kernel messages and /init progress on the console
# Exit status: the command's, or 124 on timeout, or 125 when the VM failed (provisioning,
# boot, or no exit status came back). Inside the guest the command gets PANAMAX_VM=1 and
# PANAMAX_NICS="name@pci-address@mac ..." (one entry per NIC, in order).
# PANAMAX_QEMU_ARGS: extra QEMU options, split on spaces, e.g. QEMU's trace events of the NIC
# models: PANAMAX_QEMU_ARGS="-msg timestamp=on -trace e1000e_rx_set_rctl -D /tmp/trace.log".
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${PANAMAX_CACHE:-$HOME/.cache/panamax/testbed}"
EXIT_TIMEOUT=124
EXIT_VM_FAILED=125

usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die()   { echo "vm: $*" >&2; exit $EXIT_VM_FAILED; }
say()   { echo "vm: $*" >&2; }

NICS="" TIMEOUT=600 MEM=2048 SMP=2 HUGEPAGES=256 WORKDIR="$PWD" LOG="" VERBOSE=0 QMP=0
EXTRA_ENV=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --nics)      NICS="${2?--nics needs a value}"; shift 2 ;;
    --timeout)   TIMEOUT="${2?--timeout needs a value}"; shift 2 ;;
    --mem)       MEM="${2?--mem needs a value}"; shift 2 ;;
    --smp)       SMP="${2?--smp needs a value}"; shift 2 ;;
    --hugepages) HUGEPAGES="${2?--hugepages needs a value}"; shift 2 ;;
    --workdir)   WORKDIR="${2?--workdir needs a value}"; shift 2 ;;
    --env)       EXTRA_ENV+=("${2?--env needs NAME=VALUE}"); shift 2 ;;
    --log)       LOG="${2?--log needs a file}"; shift 2 ;;
    --verbose)   VERBOSE=1; shift ;;
    --qmp)       QMP=1; shift ;;
    -h|--help)   usage; exit 0 ;;
    --)          shift; break ;;
    *)           usage >&2; die "unknown option '$1' (the command goes after --)" ;;
  esac
done
[[ $# -gt 0 ]] || { usage >&2; die "no command given (vm.sh [options] -- COMMAND...)"; }
for n in "$TIMEOUT" "$MEM" "$SMP" "$HUGEPAGES"; do
  [[ $n =~ ^[0-9]+$ ]] || die "'$n' is not a number"
done
(( HUGEPAGES * 2 <= MEM / 2 )) || die "--hugepages $HUGEPAGES (2 MiB each) is more than half of --mem $MEM MB"
[[ -d $WORKDIR ]] || die "--workdir $WORKDIR is not a directory on the host"
WORKDIR="$(cd "$WORKDIR" && pwd -P)"
for e in "${EXTRA_ENV[@]}"; do
  [[ $e =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "--env '$e' is not NAME=VALUE"
done

"$HERE/provision.sh" -q || die "provisioning failed (see above)"
KERNEL="$CACHE/vmlinux" INITRD="$CACHE/initramfs.cpio.gz"
[[ -r $KERNEL ]] || KERNEL="$CACHE/vmlinuz"  # no uncompressed kernel: boot the bzImage
[[ -r $KERNEL && -r $INITRD ]] || die "kernel or initramfs missing in $CACHE"

# ---------------------------------------------------------------- NICs
nic_model() {
  case "$1" in
    virtio-legacy) echo "virtio-net-pci,disable-legacy=off,disable-modern=on" ;;
    virtio-modern) echo "virtio-net-pci,disable-legacy=on,disable-modern=off" ;;
    # Same, but its DMA goes through the emulated IOMMU (VIRTIO_F_ACCESS_PLATFORM), as VFIO needs.
    virtio-modern-iommu) echo "virtio-net-pci,disable-legacy=on,disable-modern=off,iommu_platform=on,ats=on" ;;
    # Multi-queue (virtio 5.1.6.5.5) with RSS (5.1.6.5.7): MQ_QUEUES pairs, one MSI-X vector
    # per virtqueue plus config and control.
    virtio-mq) echo "virtio-net-pci,disable-legacy=on,disable-modern=off,mq=on,rss=on,vectors=$((2 * MQ_QUEUES + 2))" ;;
    e1000|e1000e|igb|rtl8139) echo "$1" ;;
    *) return 1 ;;
  esac
}
MQ_QUEUES=4
KNOWN_NICS="virtio-legacy virtio-modern virtio-modern-iommu virtio-mq e1000 e1000e igb rtl8139"
NIC_ARGS=() NIC_LIST=() TAPS=() i=0
IFS=',' read -r -a names <<< "$NICS"
for name in "${names[@]}"; do
  [[ -n $name ]] || continue
  hub=0
  if [[ $name == *@* ]]; then
    hub="${name#*@}" name="${name%%@*}"
    [[ $hub =~ ^([0-9]|t)$ ]] || die "hub '$hub' of NIC '$name' is neither a number 0-9 nor t (the tap bridge)"
  fi
  model="$(nic_model "$name")" || die "unknown NIC '$name' (known: $KNOWN_NICS)"
  [[ $name != virtio-mq || $hub == t ]] || die "NIC $name needs a multi-queue backend: put it on the tap bridge ($name@t)"
  (( i <= 7 )) || die "at most 8 NICs"
  # Each NIC sits alone behind its own PCIe root port (slot 0x1<i> of the root bus), so the
  # firmware numbers their buses 1, 2, ... in order. On the root bus itself igb does not fit:
  # its SR-IOV VFs claim devfn PF+0x80.. and collide with or overflow the other slots.
  pci="$(printf '0000:%02x:00.0' $((i + 1)))" mac="52:54:00:00:00:1$i"
  NIC_ARGS+=(-device "pcie-root-port,id=rp$i,bus=pcie.0,addr=0x1$i,chassis=$((i + 1))"
             -device "$model,id=nic$i,netdev=net$i,mac=$mac,bus=rp$i,addr=0x0,romfile=")
  if [[ $hub == t ]]; then
    queues=1
    [[ $name != virtio-mq ]] || queues=$MQ_QUEUES
    # vhost off (the default): QEMU itself moves the frames, and does RSS in software.
    NIC_ARGS+=(-netdev "tap,id=net$i,ifname=pmx$i,script=no,downscript=no,queues=$queues")
    TAPS+=("pmx$i:$queues")
    where="tap pmx$i, $queues queue(s)"
  else
    NIC_ARGS+=(-netdev "hubport,id=net$i,hubid=$hub")
    where="hub $hub"
  fi
  NIC_LIST+=("$name@$pci@$mac")
  say "NIC $i: $(printf '%-13s' "$name") $pci  $mac  $where"
  i=$((i + 1))
done

# ---------------------------------------------------------------- run directory
mkdir -p "$CACHE/runs"
# Remove run directories left behind by runs that were killed with SIGKILL.
for d in "$CACHE"/runs/run.*; do
  [[ -f $d/owner.pid ]] || continue
  kill -0 "$(cat "$d/owner.pid")" 2>/dev/null || rm -rf "$d"
done
RUN="$(mktemp -d "$CACHE/runs/run.XXXXXX")"
echo $$ > "$RUN/owner.pid"
chmod 755 "$RUN"

QPID="" SPID="" FPID="" APID=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $QPID ]] && kill -0 "$QPID" 2>/dev/null; then
    kill -TERM "$QPID" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$QPID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$QPID" 2>/dev/null || true
    wait "$QPID" 2>/dev/null || true
  fi
  [[ -z $SPID ]] || kill "$SPID" 2>/dev/null || true
  [[ -z $APID ]] || kill "$APID" 2>/dev/null || true
  [[ -z $FPID ]] || wait "$FPID" 2>/dev/null || true
  rm -rf "$RUN"
  exit "$rc"
}
trap cleanup EXIT
trap 'say "interrupted; stopping the VM"; exit 130' INT
trap 'say "terminated; stopping the VM"; exit 143' TERM

q() { local s=${1//\'/\'\\\'\'}; printf "'%s'" "$s"; }  # POSIX sh single-quoting
{
  echo "# written by vm.sh; run by the guest's /init as: chroot /mnt /bin/sh <this file>"
  echo "cd $(q "$WORKDIR") || exit 2"
  echo "export PATH=$(q "$PATH") HOME=/root LANG=C.UTF-8 PANAMAX_VM=1"
  echo "export PANAMAX_NICS=$(q "${NIC_LIST[*]:-}")"
  [[ -z ${JAVA_HOME:-} ]] || echo "export JAVA_HOME=$(q "$JAVA_HOME")"
  for e in "${EXTRA_ENV[@]}"; do echo "export ${e%%=*}=$(q "${e#*=}")"; done
  # Line-buffer stdio of (dynamically linked) C programs: their output goes to a pipe.
  printf 'if command -v stdbuf >/dev/null 2>&1; then exec stdbuf -oL -eL'
  for a in "$@"; do printf ' %s' "$(q "$a")"; done
  printf '; fi\nexec'
  for a in "$@"; do printf ' %s' "$(q "$a")"; done
  printf '\n'
} > "$RUN/cmd.sh"
printf 'HUGEPAGES=%s\nVERBOSE=%s\nHOSTROOT_CACHE=%s\n' "$HUGEPAGES" "$VERBOSE" "${PANAMAX_9P_CACHE:-loose}" > "$RUN/guest.env"

# iommu=pt: devices outside VFIO (our sysfs drivers) get identity-mapped DMA, so physical
# addresses from pagemap are bus addresses; VFIO still gets its own translated domains.
# no_timer_check: on a busy host the emulated CPU can be starved while the kernel checks that
# the timer interrupt arrives through the IO-APIC, and it then panics ("timer doesn't work
# through Interrupt-remapped IO-APIC"); the check proves nothing about an emulated timer.
# init_on_alloc=0: Debian's kernel zeroes every page it allocates, and the boot-time hugepage pool
# alone (512 MiB) then took 2.6-3.5 s of emulated stores (initcall_debug: hugetlb_init); with it
# off, 4-12 ms. A user-space mapping is zeroed when first touched either way.
# PANAMAX_KERNEL_ARGS adds arguments (e.g. initcall_debug).
APPEND="console=ttyS0 panic=-1 edd=off no_timer_check intel_iommu=on iommu=pt init_on_alloc=0"
APPEND+=" hugepages=$HUGEPAGES${PANAMAX_KERNEL_ARGS:+ $PANAMAX_KERNEL_ARGS}"
[[ $VERBOSE == 1 ]] || APPEND+=" quiet loglevel=3"

# shellcheck disable=SC2054  # commas are QEMU option syntax
QEMU=(qemu-system-x86_64 -accel "${PANAMAX_ACCEL:-tcg}" -M q35 -cpu max -m "$MEM" -smp "$SMP"
  -nographic -no-reboot -nic none
  -device intel-iommu,intremap=on
  -kernel "$KERNEL" -initrd "$INITRD" -append "$APPEND"
  -fsdev "local,id=fshost,path=/,security_model=none,readonly=on"
  -device "virtio-9p-pci,fsdev=fshost,mount_tag=hostroot,bus=pcie.0,addr=0x8"
  -fsdev "local,id=fsrun,path=$RUN,security_model=none"
  -device "virtio-9p-pci,fsdev=fsrun,mount_tag=run,bus=pcie.0,addr=0x9"
  -object rng-random,id=rng0,filename=/dev/urandom
  -device "virtio-rng-pci,rng=rng0,bus=pcie.0,addr=0xa"
  "${NIC_ARGS[@]}")
# shellcheck disable=SC2206  # extra QEMU options, word-split on purpose
[[ -n ${PANAMAX_QEMU_ARGS:-} ]] && QEMU+=($PANAMAX_QEMU_ARGS)
if [[ $QMP == 1 ]]; then
  command -v socat >/dev/null || die "--qmp needs socat (testbed/provision.sh installs it)"
  mkdir -p "$RUN/qmp"
  QEMU+=(-qmp "unix:$RUN/qmp.sock,server=on,wait=off")
fi

# The monitor agent: runs each request the guest wrote to the share, in name order, and writes
# QEMU's answer (greeting, capabilities, the command's return or error, events) next to it.
qmp_agent() {
  local req rep
  while sleep 0.2; do
    for req in "$RUN"/qmp/*.req; do
      [[ -f $req ]] || continue
      rep="${req%.req}.rep"
      say "qmp: $(cat "$req")"
      { echo '{"execute":"qmp_capabilities"}'; cat "$req"; sleep 1; } \
        | socat -t 2 - "UNIX-CONNECT:$RUN/qmp.sock" > "$rep.tmp" 2>&1
      mv -f "$rep.tmp" "$rep"
      rm -f "$req"
    done
  done
}

# The tap bridge: QEMU runs in a network namespace of its own, where this script makes the
# bridge and its taps (multi_queue for a NIC with several queues) before it becomes QEMU. IPv6
# is off there, so neither the bridge nor a tap sends frames of its own; the namespace and all
# its devices go away with QEMU.
if [[ ${#TAPS[@]} -gt 0 ]]; then
  command -v unshare >/dev/null && command -v ip >/dev/null \
    || die "NICs on the tap bridge need unshare and ip (util-linux, iproute2)"
  [[ -c /dev/net/tun ]] || die "NICs on the tap bridge need /dev/net/tun (modprobe tun)"
  NETNS_SETUP='set -e
    sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip link set lo up
    ip link add pmxbr type bridge
    for t in $TAPS; do
      name=${t%%:*} queues=${t#*:}
      if [ "$queues" -gt 1 ]; then ip tuntap add dev "$name" mode tap multi_queue
      else ip tuntap add dev "$name" mode tap; fi
      ip link set "$name" master pmxbr up
    done
    ip link set pmxbr up
    exec "$@"'
  QEMU=(env "TAPS=${TAPS[*]}" unshare -n -- sh -c "$NETNS_SETUP" netns "${QEMU[@]}")
fi

T0=$(date +%s.%N)
# One boot: QEMU with its console filter; sets qrc to QEMU's exit status, or exits on timeout.
boot_once() {
  # The serial console reaches our stdout through a filter that drops the firmware's banner and
  # terminal resets (SeaBIOS clears the screen) and the kernel's final "reboot: Power down".
  rm -f "$RUN/console"; mkfifo "$RUN/console"
  sed -u -e 's/^\x1bc\x1b\[?7l\x1b\[2J\(\x1b\[0m\)\{0,1\}//' -e '/^SeaBIOS (version /d' \
         -e '/^Booting from ROM\.*$/d' -e 's/^Booting from ROM\.*//' \
         -e '/^\[ *[0-9.]*\] reboot: Power down\r\{0,1\}$/d' -e '/^\[ *[0-9.]*\] /s/\r$//' < "$RUN/console" &
  FPID=$!
  # stdin from /dev/null: QEMU leaves the terminal alone. Its hub warning is expected noise; the
  # rest of its stderr is shown and kept for the abort check below.
  : > "$RUN/qemu.stderr"
  "${QEMU[@]}" </dev/null >"$RUN/console" 2> >(grep --line-buffered -v -e 'is not connected to host network' -e 'terminating on signal' | tee -a "$RUN/qemu.stderr" >&2) &
  QPID=$!
  sleep "$TIMEOUT" &
  SPID=$!
  set +e
  wait -n "$QPID" "$SPID"
  set -e
  if kill -0 "$QPID" 2>/dev/null; then
    say "timeout: the command did not finish within ${TIMEOUT} s; killing QEMU"
    exit $EXIT_TIMEOUT  # cleanup (the EXIT trap) stops QEMU and the console filter
  fi
  set +e; wait "$QPID"; qrc=$?; set -e
  QPID=""
  kill "$SPID" 2>/dev/null || true; wait "$SPID" 2>/dev/null || true; SPID=""
  wait "$FPID" 2>/dev/null || true; FPID=""  # the console filter ends at QEMU's EOF
}

if [[ $QMP == 1 ]]; then qmp_agent & APID=$!; fi
# QEMU's multi-threaded TCG can fail one of its own assertions while the guest's firmware or
# kernel programs the memory map (seen as "iotlb_to_section: Assertion ... failed", SIGABRT,
# about 2 s after start). That is an emulator fault, not a result: when QEMU aborts on an
# assertion before the guest has started the command, the same VM is booted once more. Any
# other end, and any abort after the command started, is reported as it is.
aborted_before_command() {
  [[ $qrc == 134 && ! -f $RUN/boot_seconds && ! -f $RUN/exit_code ]] || return 1
  local _
  for _ in 1 2 3 4 5 6 7 8 9 10; do  # QEMU's stderr filter may still be writing its last line
    grep -q 'Assertion .* failed' "$RUN/qemu.stderr" && return 0
    sleep 0.1
  done
  return 1
}
for attempt in 1 2; do
  boot_once
  if [[ $attempt == 1 ]] && aborted_before_command; then
    say "QEMU aborted on an internal assertion before the guest ran the command (QEMU exit 134); booting the VM once more"
    rm -f "$RUN/boot_error" "$RUN/output.log"
    continue
  fi
  break
done
T1=$(date +%s.%N)
elapsed="$(awk -v a="$T0" -v b="$T1" 'BEGIN{printf "%.1f", b-a}')"

[[ -z $LOG || ! -f $RUN/output.log ]] || cp "$RUN/output.log" "$LOG"
if [[ -f $RUN/exit_code ]]; then
  rc="$(cat "$RUN/exit_code")"
  [[ $rc =~ ^[0-9]+$ ]] || die "guest wrote a bad exit code '$rc'"
  boot="$(cat "$RUN/boot_seconds" 2>/dev/null || echo '?')"
  endt="$(cat "$RUN/end_seconds" 2>/dev/null || echo '?')"
  say "exit $rc (command started ${boot} s after boot, ended at ${endt} s; wall ${elapsed} s)"
  exit "$rc"
fi
if [[ -f $RUN/boot_error ]]; then
  die "the guest failed to boot: $(cat "$RUN/boot_error") (QEMU exit $qrc, ${elapsed} s)"
fi
die "the VM ended without an exit status (QEMU exit $qrc after ${elapsed} s): QEMU failed, or the guest crashed, panicked or powered off early; try --verbose"
