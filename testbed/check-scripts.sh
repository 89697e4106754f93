#!/usr/bin/env bash
# Checks the project's shell scripts: each parses (bash -n, or sh -n for POSIX sh scripts), and no
# shell function shadows a command. A function named like a command silently replaces it for the
# rest of the script (an 'install' wrapper once turned 'install -m 755 init ...' into an apt-get
# call and shipped an initramfs without /init), so a clash is an error, not a style question.
#
# Usage: check-scripts.sh [FILE...]   (default: every shell script of the repository)
# Exit status 0 when all scripts pass; 1 with one line per problem otherwise.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Commands the scripts use that a fresh machine may not have yet (provisioning installs them),
# and busybox applets the guest's /init runs. A function may not take any of these names either.
KNOWN_COMMANDS=(
  apt-get apt-cache dpkg dpkg-deb dpkg-query qemu-system-x86_64 qemu-img busybox cpio gzip xz
  zstd install cp mv rm ln mkdir mknod chmod chown chroot mount umount insmod modprobe depmod
  poweroff reboot sync stty tee sed awk grep find sort cut head tail cat tr od cmp sha256sum
  flock mktemp kill sleep timeout date du df env id stdbuf setpriv ip ping tshark capinfos
  dpdk-testpmd java javac jfr jcmd mvn mvnw git curl wget tar unshare nsenter socat iperf3
  sockperf tcpdump ethtool lspci setsid nohup taskset python3 perl make gcc
)

if [[ $# -gt 0 ]]; then
  FILES=("$@")
else
  FILES=("$ROOT/panamax" "$ROOT/.ci/run" "$ROOT/mvnw")
  while IFS= read -r f; do FILES+=("$f"); done < <(find "$ROOT/testbed" -name '*.sh' -not -path '*/target/*' | sort)
fi

# Every command name this machine knows: bash builtins and keywords, and executables on a
# standard PATH (compgen in a clean bash, so none of this script's own functions count).
declare -A COMMANDS=()
while IFS= read -r c; do COMMANDS[$c]=1; done < <(
  env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin bash --norc --noprofile -c 'compgen -c')
for c in "${KNOWN_COMMANDS[@]}"; do COMMANDS[$c]=1; done
if command -v busybox >/dev/null; then
  while IFS= read -r c; do COMMANDS[$c]=1; done < <(busybox --list)
fi

failed=0
problem() { echo "check-scripts: $*" >&2; failed=1; }

for f in "${FILES[@]}"; do
  [[ -r $f ]] || { problem "$f: not readable"; continue; }
  rel="${f#"$ROOT"/}"
  first="$(head -n 1 "$f")"
  case "$first" in
    *bash*) shell=bash ;;
    *) shell=sh ;;  # '#!/bin/sh' and sourced POSIX helpers (lib.sh)
  esac
  if ! err="$("$shell" -n "$f" 2>&1)"; then
    problem "$rel: does not parse with $shell -n: $err"
  fi
  # Function definitions: 'name()' or 'function name', anywhere on a line start.
  while IFS=: read -r line name; do
    name="${name#function }"; name="${name%%(*}"; name="${name//[[:space:]]/}"
    [[ -n $name ]] || continue
    if [[ -n ${COMMANDS[$name]:-} ]]; then
      problem "$rel:$line: function '$name' shadows the command '$name'; rename the function"
    fi
  done < <(grep -nEo '^[[:space:]]*(function[[:space:]]+[A-Za-z_][A-Za-z0-9_.-]*|[A-Za-z_][A-Za-z0-9_.-]*[[:space:]]*\(\))' "$f" \
           | sed -E 's/^([0-9]+):[[:space:]]*/\1:/')
done

if [[ $failed == 0 ]]; then
  echo "check-scripts: ${#FILES[@]} scripts parse and define no function named like a command"
fi
exit $failed
