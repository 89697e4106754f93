#!/bin/sh
# /init of the Panamax test-bed initramfs (runs under busybox ash inside the QEMU guest).
#
# 1. mounts proc/sys/dev, loads the modules listed in /etc/modules.order (dependency order,
#    computed by provision.sh from the kernel's modules.dep);
# 2. mounts the per-run share (9p tag "run", read-write) at /share and the host root (9p tag
#    "hostroot", read-only) at /mnt; inside /mnt: proc, sysfs, devtmpfs (+pts, shm, hugepages),
#    a tmpfs at /run (scratch), the run share again at /run/panamax/share, and an overlay on
#    /tmp (host /tmp stays visible, writes go to guest RAM);
# 3. runs /run/panamax/share/cmd.sh (written by vm.sh) with the host's /bin/sh in chroot /mnt;
#    output goes to the serial console and to /share/output.log, the exit status to
#    /share/exit_code; then powers off (QEMU runs with -no-reboot and exits).
# Settings come from /share/guest.env (HUGEPAGES, VERBOSE).
export PATH=/bin:/sbin:/usr/bin:/usr/sbin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# The serial console must not turn \n into \r\n: the host sees the same bytes as the log.
stty -F /dev/console -onlcr 2>/dev/null

VERBOSE=0
HUGEPAGES=256
HOSTROOT_CACHE=""
SHARE_OK=0
log()  { [ "$VERBOSE" = 1 ] && echo "panamax-init: [$(cut -d' ' -f1 /proc/uptime)] $*"; return 0; }
say()  { echo "panamax-init: $*"; }
fail() {
  say "ERROR: $*"
  [ "$SHARE_OK" = 1 ] && echo "$*" > /share/boot_error
  sync; poweroff -f; sleep 10
}
uptime_s() { cut -d' ' -f1 /proc/uptime; }

KVER="$(cat /etc/kernel-release)"
for m in $(cat /etc/modules.order); do
  if ! err="$(insmod "/lib/modules/$KVER/$m" 2>&1)"; then
    case "$err" in *"File exists"*) ;; *) say "insmod $m: $err" ;; esac
  fi
done

P9="trans=virtio,version=9p2000.L,msize=262144"
mount -t 9p -o "$P9" run /share || fail "cannot mount the 9p share 'run' (is -virtfs ...mount_tag=run given?)"
SHARE_OK=1
[ -r /share/guest.env ] && . /share/guest.env
log "modules loaded at $(uptime_s) s"

mount -t 9p -o "$P9,ro${HOSTROOT_CACHE:+,cache=$HOSTROOT_CACHE}" hostroot /mnt || fail "cannot mount the host root (9p tag 'hostroot')"
log "host root mounted"
mount -t proc proc /mnt/proc || fail "mount proc in /mnt"
mount -t sysfs sysfs /mnt/sys || fail "mount sysfs in /mnt"
mount -t devtmpfs devtmpfs /mnt/dev || fail "mount devtmpfs in /mnt"
mkdir -p /mnt/dev/pts /mnt/dev/shm /mnt/dev/hugepages
mount -t devpts -o newinstance,ptmxmode=0666 devpts /mnt/dev/pts
mount -t tmpfs -o mode=1777 tmpfs /mnt/dev/shm
log "proc, sys, dev mounted"
# vm.sh reserves them on the kernel command line (hugepages=N, fast at boot); top up here.
[ "$(cat /proc/sys/vm/nr_hugepages)" -ge "$HUGEPAGES" ] || echo "$HUGEPAGES" > /proc/sys/vm/nr_hugepages
log "hugepages reserved"
mount -t hugetlbfs nodev /mnt/dev/hugepages || fail "mount hugetlbfs"
got="$(cat /proc/sys/vm/nr_hugepages)"
[ "$got" = "$HUGEPAGES" ] || say "warning: asked for $HUGEPAGES hugepages, got $got"

# Scratch space: a tmpfs over the host's /run (nothing built lives there).
mount -t tmpfs -o mode=755 tmpfs /mnt/run || fail "mount tmpfs on /mnt/run"
mkdir -p /mnt/run/panamax/share /mnt/run/panamax/tmp-upper /mnt/run/panamax/tmp-work
mount -o bind /share /mnt/run/panamax/share || fail "bind the run share into /mnt"
# Writable /tmp that still shows the host's /tmp: overlay, lower = host (9p), upper = tmpfs.
if ! mount -t overlay overlay \
     -o lowerdir=/mnt/tmp,upperdir=/mnt/run/panamax/tmp-upper,workdir=/mnt/run/panamax/tmp-work \
     /mnt/tmp 2>/dev/null; then
  say "warning: overlay on /tmp failed; /tmp is read-only (host content), use /run for scratch"
fi
chmod 1777 /mnt/tmp 2>/dev/null
log "scratch mounts done"

START="$(uptime_s)"
echo "$START" > /share/boot_seconds
log "running the command at $START s"
(
  env -i HOME=/root TERM=dumb PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    chroot /mnt /bin/sh /run/panamax/share/cmd.sh </dev/null 2>&1
  rc=$?
  # A guest JVM that died of a fatal error left its report here (the launcher's -XX:ErrorFile):
  # show the part that says where and why, since the guest's files vanish with it.
  for f in /mnt/run/panamax/hs_err_pid*.log; do
    [ -f "$f" ] || continue
    echo "=== guest JVM fatal error report ${f##*/} (first 120 lines)"
    head -n 120 "$f"
  done
  echo $rc > /share/exit_code.tmp
) | tee /share/output.log
END="$(uptime_s)"
log "command finished at $END s with status $(cat /share/exit_code.tmp 2>/dev/null)"
echo "$END" > /share/end_seconds
sync
mv /share/exit_code.tmp /share/exit_code 2>/dev/null
sync
umount /mnt/run/panamax/share 2>/dev/null
umount /share 2>/dev/null
poweroff -f
