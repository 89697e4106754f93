#!/usr/bin/env bash
# Provisions the Panamax VM test bed on a Debian 12 (bookworm) amd64 host:
#   1. QEMU 10 (qemu-system-x86 from bookworm-backports), busybox-static and cpio, and the
#      peers some scenarios run in the guest from the host's files (tshark, ping);
#   2. a Debian 6.1 guest kernel, downloaded and extracted into the cache (never installed);
#   3. an initramfs (busybox + the kernel modules the tests need + testbed/guest-init.sh as /init).
# Idempotent: everything is cached in $PANAMAX_CACHE (default ~/.cache/panamax/testbed). A fresh
# cache always runs apt-get install (cheap when the packages are there), so every new cache takes
# the path a new machine takes. The initramfs is rebuilt when its key changes (kernel, busybox,
# guest-init.sh, this script, the resolved module list) and whenever the cached archive fails its
# check (executable /init, busybox, every module of the list); each run checks it before use.
#
# Usage: provision.sh [-q|--quiet]     -q: print only the steps that do work
# Prints, on success, nothing else on stdout; diagnostics go to stderr.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${PANAMAX_CACHE:-$HOME/.cache/panamax/testbed}"
INIT_SCRIPT="$HERE/guest-init.sh"
SOURCES_FILE=/etc/apt/sources.list.d/panamax-backports.sources
DEBIAN_SOURCES=/etc/apt/sources.list.d/debian.sources
BACKPORTS=bookworm-backports
HOST_PACKAGES=(qemu-system-x86 busybox-static cpio)
# Real clients the scenarios run inside the guest (it executes the host's binaries over 9p):
# tshark reads the pcap app's capture, ping talks to the respond app, DPDK's testpmd is the
# reference generator of scenarios/compare-dpdk.sh and a forwarder of scenarios/bridge.sh, whose
# kernel network stacks talk through the bridge with iperf3 and sockperf (ip from iproute2 makes
# the namespaces and the Linux bridge). socat runs on the host: vm.sh --qmp talks to QEMU's
# monitor with it (surprise removal, link flaps).
SCENARIO_PACKAGES=(tshark iputils-ping dpdk dpdk-dev librte-net-virtio23 librte-net-e1000-23 librte-mempool-ring23 socat
  iproute2 iperf3 sockperf)
MIN_QEMU_MAJOR=10

# Kernel modules wanted in the guest (names as in modules.dep, '-' and '_' are equivalent).
# Their dependencies are added from the kernel's modules.dep. Missing ones are fine when the
# kernel config has them built in (=y); otherwise provisioning warns.
GUEST_MODULES=(
  virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci
  9pnet 9pnet_virtio netfs fscache 9p overlay
  virtio_net net_failover failover virtio_rng
  e1000 e1000e igb dca i2c_algo_bit pps_core ptp
  irqbypass vfio vfio_iommu_type1 vfio_pci_core vfio_pci
  af_packet tun
  bridge stp llc
)

QUIET=0
case "${1:-}" in
  -q|--quiet) QUIET=1 ;;
  "") ;;
  -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "provision: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac

# One line per step: 'work' lines always, 'cached' lines only without -q.
work()   { echo "provision: $*" >&2; }
cached() { [[ $QUIET == 1 ]] || echo "provision: $* (cached)" >&2; }
die()    { echo "provision: ERROR: $*" >&2; exit 1; }

need_root() {
  [[ $(id -u) == 0 ]] || die "this step needs root ($1); run provision.sh as root (e.g. sudo $HERE/provision.sh)"
}
need_debian() {
  command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null && [[ -r /etc/debian_version ]] \
    || die "this host is not Debian with apt/dpkg; the test bed needs Debian 12 (bookworm) amd64"
  local codename; codename="$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")"
  [[ $codename == bookworm ]] || die "this host is Debian '$codename', expected bookworm (Debian 12)"
  [[ $(dpkg --print-architecture) == amd64 ]] || die "this host is $(dpkg --print-architecture), expected amd64"
}

mkdir -p "$CACHE"
# Serialise concurrent provisioning (vm.sh runs may start in parallel).
if [[ -w $CACHE ]]; then exec 9>>"$CACHE/.provision.lock"; flock 9; fi

# ---------------------------------------------------------------- 1. host packages
pkg_installed() { dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed; }
qemu_major() {
  local v; v="$(dpkg-query -W -f='${Version}' qemu-system-x86 2>/dev/null || true)"
  v="${v#*:}"; echo "${v%%.*}"
}
host_packages_ok() {
  local p
  for p in "${HOST_PACKAGES[@]}"; do pkg_installed "$p" || return 1; done
  [[ "$(qemu_major)" -ge $MIN_QEMU_MAJOR ]] 2>/dev/null || return 1
  [[ -x /bin/busybox ]] && command -v qemu-system-x86_64 >/dev/null
}

# Writes the deb822 backports source with the mirror URI and keyring of the first stanza of
# debian.sources (the one that serves bookworm itself). Returns 0 when the file changed.
write_backports_source() {
  [[ -r $DEBIAN_SOURCES ]] || die "$DEBIAN_SOURCES not found; cannot derive the mirror for $BACKPORTS"
  local uri key want
  uri="$(awk 'BEGIN{RS=""} /Suites:[^\n]*bookworm( |$|\n)/ && !/security/ {print; exit}' "$DEBIAN_SOURCES" \
         | sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' | head -1)"
  key="$(awk 'BEGIN{RS=""} /Suites:[^\n]*bookworm( |$|\n)/ && !/security/ {print; exit}' "$DEBIAN_SOURCES" \
         | sed -n 's/^Signed-By:[[:space:]]*\(.*\)$/\1/p' | head -1)"
  [[ -n $uri ]] || die "no URIs for suite bookworm in $DEBIAN_SOURCES"
  want="# Written by Panamax testbed/provision.sh: QEMU 10 for the VM test bed.
Types: deb
URIs: $uri
Suites: $BACKPORTS
Components: main${key:+
Signed-By: $key}"
  if [[ -f $SOURCES_FILE && "$(cat "$SOURCES_FILE")" == "$want" ]]; then return 1; fi
  printf '%s\n' "$want" > "$SOURCES_FILE"
  return 0
}

lists_present() {  # $1 = suite
  compgen -G "/var/lib/apt/lists/*_dists_${1}_main_binary-amd64_Packages*" >/dev/null
}

scenario_tools_ok() {
  local p
  for p in "${SCENARIO_PACKAGES[@]}"; do pkg_installed "$p" || return 1; done
  command -v tshark >/dev/null && command -v ping >/dev/null && command -v dpdk-testpmd >/dev/null \
    && command -v socat >/dev/null && command -v ip >/dev/null && command -v iperf3 >/dev/null \
    && command -v sockperf >/dev/null
}

# A fresh cache always takes the install path, whatever the host already has: apt-get install of
# packages that are present is cheap and idempotent, and this is the code every new machine runs.
# The stamp records what was installed for this cache; later runs only check it is still there.
PACKAGES_STAMP="$CACHE/packages.stamp"
packages_key="host: ${HOST_PACKAGES[*]} (qemu >= $MIN_QEMU_MAJOR from $BACKPORTS); tools: ${SCENARIO_PACKAGES[*]}"
APTLOG="$CACHE/apt.log"
apt_install_host() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 \
    -t "$BACKPORTS" "${HOST_PACKAGES[@]}" >>"$APTLOG" 2>&1 \
    || { tail -20 "$APTLOG" >&2; return 1; }
}
apt_install_tools() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 \
    "${SCENARIO_PACKAGES[@]}" >>"$APTLOG" 2>&1 || { tail -20 "$APTLOG" >&2; return 1; }
}
if [[ -f $PACKAGES_STAMP && "$(cat "$PACKAGES_STAMP")" == "$packages_key" ]] \
   && host_packages_ok && scenario_tools_ok; then
  cached "host packages: qemu-system-x86 $(dpkg-query -W -f='${Version}' qemu-system-x86), busybox-static, cpio, ${SCENARIO_PACKAGES[*]}"
else
  need_debian; need_root "installing ${HOST_PACKAGES[*]} ${SCENARIO_PACKAGES[*]}"
  updated=0
  if write_backports_source; then work "apt source: wrote $SOURCES_FILE"; else cached "apt source: $SOURCES_FILE"; fi
  if ! lists_present bookworm || ! lists_present "$BACKPORTS"; then
    work "apt-get update"
    apt-get update -qq >&2 || die "apt-get update failed"
    updated=1
  fi
  work "apt-get install -t $BACKPORTS ${HOST_PACKAGES[*]}"
  if ! apt_install_host; then
    [[ $updated == 0 ]] || die "apt-get install -t $BACKPORTS ${HOST_PACKAGES[*]} failed (log: $APTLOG)"
    work "apt-get update (install failed with the current lists)"
    apt-get update -qq >&2 || die "apt-get update failed"
    updated=1
    apt_install_host || die "apt-get install -t $BACKPORTS ${HOST_PACKAGES[*]} failed (log: $APTLOG)"
  fi
  host_packages_ok || die "after install: qemu-system-x86 is $(dpkg-query -W -f='${Version}' qemu-system-x86 2>/dev/null), need >= $MIN_QEMU_MAJOR"
  work "apt-get install ${SCENARIO_PACKAGES[*]}"
  if ! apt_install_tools; then
    [[ $updated == 0 ]] || die "apt-get install ${SCENARIO_PACKAGES[*]} failed (log: $APTLOG)"
    work "apt-get update (install failed with the current lists)"
    apt-get update -qq >&2 || die "apt-get update failed"
    apt_install_tools || die "apt-get install ${SCENARIO_PACKAGES[*]} failed (log: $APTLOG)"
  fi
  scenario_tools_ok || die "after install: tshark, ping, dpdk-testpmd, socat, ip, iperf3 or sockperf is still missing"
  printf '%s\n' "$packages_key" > "$PACKAGES_STAMP"
  work "host packages: qemu-system-x86 $(dpkg-query -W -f='${Version}' qemu-system-x86), busybox-static, cpio, tshark $(dpkg-query -W -f='${Version}' tshark), iputils-ping, dpdk $(dpkg-query -W -f='${Version}' dpdk) installed"
fi

# ---------------------------------------------------------------- 2. guest kernel
# The chosen version is remembered in $CACHE/kernel.pkg; its tree is $CACHE/kernel/<pkg>/.
kernel_pkg=""
[[ -r $CACHE/kernel.pkg ]] && kernel_pkg="$(cat "$CACHE/kernel.pkg")"
kernel_ok() {
  [[ -n $kernel_pkg && -f $CACHE/kernel/$kernel_pkg/.extracted ]]
}
if kernel_ok; then
  cached "guest kernel: $kernel_pkg"
else
  need_debian; need_root "downloading the guest kernel package"
  kernel_pkg="$(apt-cache depends linux-image-amd64 2>/dev/null \
                | grep -o 'linux-image-6\.1\.0-[0-9]*-amd64' | sort -V | tail -1 || true)"
  if [[ -z $kernel_pkg ]]; then
    kernel_pkg="$(apt-cache pkgnames linux-image-6.1.0- 2>/dev/null \
                  | grep -E '^linux-image-6\.1\.0-[0-9]+-amd64$' | sort -V | tail -1 || true)"
  fi
  [[ -n $kernel_pkg ]] || die "no linux-image-6.1.0-*-amd64 package known to apt (run apt-get update?)"
  dl="$(mktemp -d "$CACHE/download.XXXXXX")"
  trap 'rm -rf "$dl"' EXIT
  work "apt-get download $kernel_pkg"
  # apt drops privileges to _apt for downloads; let it write into the folder.
  chown _apt "$dl" 2>/dev/null || true
  (cd "$dl" && apt-get download -qq "$kernel_pkg" 2>&1 | grep -v 'unsandboxed as root' >&2
   [[ ${PIPESTATUS[0]} == 0 ]]) || die "apt-get download $kernel_pkg failed"
  deb="$(ls "$dl"/*.deb)"
  work "dpkg-deb -x $(basename "$deb") -> $CACHE/kernel/$kernel_pkg"
  rm -rf "$CACHE/kernel/$kernel_pkg"
  mkdir -p "$CACHE/kernel/$kernel_pkg"
  dpkg-deb -x "$deb" "$CACHE/kernel/$kernel_pkg" || die "dpkg-deb -x failed"
  # The .deb has no modules.dep (its postinst runs depmod); busybox depmod makes one (~15 s).
  work "depmod for ${kernel_pkg#linux-image-} (busybox depmod -b)"
  /bin/busybox depmod -b "$CACHE/kernel/$kernel_pkg" "${kernel_pkg#linux-image-}" \
    || die "busybox depmod failed"
  touch "$CACHE/kernel/$kernel_pkg/.extracted"
  echo "$kernel_pkg" > "$CACHE/kernel.pkg"
  rm -rf "$dl"; trap - EXIT
fi
KTREE="$CACHE/kernel/$kernel_pkg"
KVER="${kernel_pkg#linux-image-}"
VMLINUZ="$KTREE/boot/vmlinuz-$KVER"
MODDIR="$KTREE/lib/modules/$KVER"
[[ -f $VMLINUZ && -f $MODDIR/modules.dep ]] || die "extracted kernel in $KTREE is incomplete; delete it and re-run"
ln -sfn "kernel/$kernel_pkg/boot/vmlinuz-$KVER" "$CACHE/vmlinuz"
# Under TCG the bzImage's own xz decompression takes ~5 s per boot. The uncompressed ELF
# vmlinux boots directly through its PVH entry (CONFIG_PVH=y), so unpack it once here.
if [[ -s $KTREE/vmlinux ]]; then
  cached "guest kernel: uncompressed vmlinux for PVH boot"
else
  work "guest kernel: unpacking vmlinux from the bzImage (PVH boot, saves ~5 s per VM start)"
  off="$(LC_ALL=C grep -obUa $'\xfd7zXZ' "$VMLINUZ" | head -1 | cut -d: -f1 || true)"
  if [[ -n $off ]] && xz -dcq --single-stream < <(tail -c +$((off + 1)) "$VMLINUZ") > "$KTREE/vmlinux.new" 2>/dev/null \
     && [[ "$(head -c 4 "$KTREE/vmlinux.new" | od -An -c | tr -d ' ')" == '177ELF' ]]; then
    mv -f "$KTREE/vmlinux.new" "$KTREE/vmlinux"
  else
    rm -f "$KTREE/vmlinux.new"
    echo "provision: warning: could not unpack vmlinux (not xz?); VMs boot the bzImage (slower)" >&2
  fi
fi
if [[ -s $KTREE/vmlinux ]]; then ln -sfn "kernel/$kernel_pkg/vmlinux" "$CACHE/vmlinux"; else rm -f "$CACHE/vmlinux"; fi

# ---------------------------------------------------------------- 3. initramfs
[[ -r $INIT_SCRIPT ]] || die "$INIT_SCRIPT not found"
# The modules the initramfs must hold, with their dependencies, in load order (from modules.dep).
declare -A DEPS=() BYNAME=()
while IFS= read -r line; do
  path="${line%%:*}"; deps="${line#*:}"
  DEPS[$path]="$deps"
  base="${path##*/}"; base="${base%%.ko*}"; BYNAME[${base//-/_}]="$path"
done < "$MODDIR/modules.dep"

declare -A SEEN=()
ORDER=()
visit() {  # appends $1 after its dependencies (modules.dep lists the transitive closure)
  local p="$1" d
  [[ -n ${SEEN[$p]:-} ]] && return 0
  SEEN[$p]=1
  for d in ${DEPS[$p]}; do visit "$d"; done
  ORDER+=("$p")
}
for m in "${GUEST_MODULES[@]}"; do
  key="${m//-/_}"
  if [[ -n ${BYNAME[$key]:-} ]]; then
    visit "${BYNAME[$key]}"
  elif grep -q "/${m//_/[-_]}\.ko" "$MODDIR/modules.builtin" 2>/dev/null; then
    :  # built into the kernel
  else
    echo "provision: warning: module $m is neither a module nor built in for $KVER" >&2
  fi
done
# Paths of the modules inside the initramfs (decompressed), in load order.
WANT_MODULES=()
for p in "${ORDER[@]}"; do WANT_MODULES+=("${p%.ko*}.ko"); done

# The cache key covers everything the initramfs is made of and must contain: the kernel, busybox,
# /init, this script, and the resolved module list.
want_hash="$( { echo "$kernel_pkg"; printf '%s\n' "${WANT_MODULES[@]}"; \
                cat /bin/busybox "$INIT_SCRIPT" "${BASH_SOURCE[0]}"; } | sha256sum | cut -c1-16)"

# Prints why the initramfs $1 cannot boot the test bed, or nothing when it can: it must be a
# gzip'd newc cpio archive with an executable /init (guest-init.sh byte for byte), busybox,
# /etc/modules.order equal to the wanted list, and every module of that list.
initramfs_problem() {
  local listing order
  listing="$(gzip -dc "$1" 2>/dev/null | cpio -itv --quiet 2>/dev/null)" \
    || { echo "it is not a readable gzip'd cpio archive"; return; }
  grep -Eq '^-..x.* init$' <<< "$listing" || { echo "it has no executable /init"; return; }
  grep -Eq '^-..x.* bin/busybox$' <<< "$listing" || { echo "it has no executable /bin/busybox"; return; }
  cmp -s <(gzip -dc "$1" | cpio -i --quiet --to-stdout init 2>/dev/null) "$INIT_SCRIPT" \
    || { echo "its /init is not $INIT_SCRIPT"; return; }
  order="$(gzip -dc "$1" | cpio -i --quiet --to-stdout etc/modules.order 2>/dev/null)"
  [[ "$order" == "$(printf '%s\n' "${WANT_MODULES[@]}")" ]] \
    || { echo "its /etc/modules.order is not the wanted module list"; return; }
  local m
  for m in "${WANT_MODULES[@]}"; do
    grep -Fq " lib/modules/$KVER/$m" <<< "$listing" || { echo "it lacks the module $m"; return; }
  done
}

if [[ -f $CACHE/initramfs.cpio.gz && "$(cat "$CACHE/initramfs.hash" 2>/dev/null)" == "$want_hash" ]]; then
  problem="$(initramfs_problem "$CACHE/initramfs.cpio.gz")"
  if [[ -z $problem ]]; then
    cached "initramfs: $CACHE/initramfs.cpio.gz ($want_hash, checked: /init, busybox, ${#WANT_MODULES[@]} modules)"
    exit 0
  fi
  echo "provision: the cached initramfs $CACHE/initramfs.cpio.gz is broken ($problem); rebuilding it" >&2
fi

need_root "creating /dev/console in the initramfs"
work "initramfs: building for $KVER with ${#WANT_MODULES[@]} modules"
stage="$(mktemp -d "$CACHE/initramfs-stage.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,mnt,share,tmp,lib/modules/"$KVER"}
cp /bin/busybox "$stage/bin/busybox"
# Applet links made here, so /init can use them from its first line.
while IFS= read -r applet; do
  [[ -e $stage/$applet ]] || ln -s /bin/busybox "$stage/$applet"
done < <(/bin/busybox --list-full)
mknod -m 600 "$stage/dev/console" c 5 1
mknod -m 666 "$stage/dev/null" c 1 3

: > "$stage/etc/modules.order"
for p in "${ORDER[@]}"; do
  src="$MODDIR/$p"; dst="$stage/lib/modules/$KVER/${p%.ko*}.ko"
  mkdir -p "$(dirname "$dst")"
  case "$p" in
    *.ko)     cp "$src" "$dst" ;;
    *.ko.xz)  xz -dc "$src" > "$dst" ;;
    *.ko.zst) zstd -qdc "$src" > "$dst" ;;
    *.ko.gz)  gzip -dc "$src" > "$dst" ;;
    *) die "unknown module format: $p" ;;
  esac
  echo "${p%.ko*}.ko" >> "$stage/etc/modules.order"
done
echo "$KVER" > "$stage/etc/kernel-release"
cp "$INIT_SCRIPT" "$stage/init" || die "cannot copy $INIT_SCRIPT to the initramfs"
chmod 755 "$stage/init"

work "initramfs: packing busybox, /init and ${#ORDER[@]} modules"
(cd "$stage" && find . -mindepth 1 -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet -R 0:0) \
  | gzip -6 > "$CACHE/initramfs.cpio.gz.new"
# Never cache an archive that cannot boot: check it exactly as a cached one is checked.
problem="$(initramfs_problem "$CACHE/initramfs.cpio.gz.new")"
if [[ -n $problem ]]; then
  rm -f "$CACHE/initramfs.cpio.gz.new"
  die "the initramfs just built is unusable: $problem"
fi
mv -f "$CACHE/initramfs.cpio.gz.new" "$CACHE/initramfs.cpio.gz"
echo "$want_hash" > "$CACHE/initramfs.hash"
cp "$stage/etc/modules.order" "$CACHE/modules.order"
rm -rf "$stage"; trap - EXIT
work "initramfs: $CACHE/initramfs.cpio.gz ($(du -h "$CACHE/initramfs.cpio.gz" | cut -f1), $want_hash, checked)"
