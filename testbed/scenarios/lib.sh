# Helpers for scenario scripts; sourced inside the guest (POSIX sh, host's /bin/sh in chroot).
# PANAMAX_NICS="name@pci@mac ..." comes from vm.sh, one entry per NIC in --nics order.

export PANAMAX_NO_BUILD=1

# nic_field INDEX FIELD(1=name,2=pci,3=mac)
nic_field() {
  echo "$PANAMAX_NICS" | tr ' ' '\n' | sed -n "$(($1 + 1))p" | cut -d@ -f"$2"
}
nic_pci() { nic_field "$1" 2; }
nic_mac() { nic_field "$1" 3; }

# driver_of PCI: the kernel driver bound to a device, or "none".
driver_of() {
  if [ -L "/sys/bus/pci/devices/$1/driver" ]; then
    basename "$(readlink "/sys/bus/pci/devices/$1/driver")"
  else
    echo none
  fi
}

# uptime_s: seconds since the guest booted (for "T <uptime> step" lines in scenario logs).
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# wait_for FILE PATTERN SECONDS [PID]: wait until a line matching PATTERN appears in FILE; with
# PID, give up as soon as that process has ended without writing it.
wait_for() {
  i=0
  while [ $i -lt $(($3 * 2)) ]; do
    grep -q "$2" "$1" 2>/dev/null && return 0
    if [ -n "${4:-}" ] && ! kill -0 "$4" 2>/dev/null; then
      grep -q "$2" "$1" 2>/dev/null && return 0
      echo "process $4 ended before '$2' appeared in $1"
      cat "$1"
      return 1
    fi
    sleep 0.5
    i=$((i + 1))
  done
  echo "timed out waiting for '$2' in $1"
  cat "$1"
  return 1
}

# qmp JSON: has the host run one QMP command on this VM's QEMU (needs vm.sh --qmp), prints
# QEMU's answer, and fails if QEMU answered with an error. NIC i has the device id nic<i>.
qmp() {
  qmp_n=$((${qmp_n:-0} + 1))
  qmp_dir=/run/panamax/share/qmp
  [ -d "$qmp_dir" ] || { echo "qmp: $qmp_dir is missing; run the VM with --qmp"; return 1; }
  qmp_req="$qmp_dir/$(printf '%04d' "$qmp_n")"
  printf '%s\n' "$1" > "$qmp_req.tmp" && mv "$qmp_req.tmp" "$qmp_req.req"
  i=0
  while [ ! -f "$qmp_req.rep" ]; do
    sleep 0.2
    i=$((i + 1))
    [ $i -lt 150 ] || { echo "qmp: no answer to $1 within 30 s"; return 1; }
  done
  echo "qmp: $1 -> $(grep -v QMP "$qmp_req.rep" | tr -d '\r\n' | cut -c1-300)"
  ! grep -q '"error"' "$qmp_req.rep"
}
