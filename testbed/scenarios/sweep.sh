#!/bin/sh
# Scenario: batch-size and frame-size sweeps of compare-dpdk.sh, Panamax and DPDK testpmd side by
# side on one NIC model, in one boot. Seven NICs, the layout compare-dpdk.sh documents:
#
#   testbed/vm.sh --nics igb@0,igb@0,igb@1,igb@1,igb@0,virtio-modern@1,virtio-modern@0 \
#       --timeout 3600 -- testbed/scenarios/sweep.sh
#
# For each batch in BATCHES (60-byte frames) and then each frame size in SIZES (batch 64), runs
# compare-dpdk.sh with MODES, ROUNDS rounds of DURATION seconds each (the first value with a
# warm-up run, the rest without), and prints one CSV line per mode, value and program:
#   CSV nic,mode,param,value,program,pooled_pps,steady_pps
# (pooled: whole runs, JIT warm-up included; steady: second half of each run), the format
# SweepPlot draws. Keep them with
#   sed -n 's/^CSV //p' LOG >> docs/data/sweeps.csv
# Env: MODES ("tx fwd"), BATCHES ("1 4 16 64 256"), SIZES ("60 256 1024 1514"),
#      DURATION (30: fwd takes about 15 s to reach its plateau), ROUNDS (1),
#      LIGHT (1: pktgen --light, testpmd txonly's per-frame work).
#      Exit status 1 if any comparison failed or stalled (its points are left out).
. "$(dirname "$0")/lib.sh"
MODES="${MODES:-tx fwd}"
BATCHES="${BATCHES:-1 4 16 64 256}"
SIZES="${SIZES:-60 256 1024 1514}"
DURATION="${DURATION:-30}"
ROUNDS="${ROUNDS:-1}"
LIGHT="${LIGHT:-1}"
NIC="$(nic_field 0 1)"
HERE="$(dirname "$0")"
export MODES DURATION ROUNDS LIGHT

fail=0
warmup=5
point() { # param value
  log=/run/sweep.$1.$2.log
  if [ "$1" = batch ]; then b=$2 s=60; else b=64 s=$2; fi
  echo "=== sweep $1 $2: batch $b, $s B frames, modes $MODES"
  BATCH=$b SIZE=$s WARMUP=$warmup sh "$HERE/compare-dpdk.sh" > "$log" 2>&1 || fail=1
  warmup=0
  grep -E '^(ROUND|RATE|RATIO|STEADY|RESULT|compare-dpdk:|feeder)' "$log"
  for m in $MODES; do
    awk -v nic="$NIC" -v m="$m" -v p="$1" -v v="$2" '
      $1 == "RATE" && $2 == m { pooled[$3] = $4 }
      $1 == "STEADY" && $2 == m { steady["panamax"] = $4; steady["dpdk"] = $6 }
      END {
        for (g in pooled) if (g in steady) printf "CSV %s,%s,%s,%s,%s,%s,%s\n", nic, m, p, v, g, pooled[g], steady[g]
      }' "$log" | sort
  done
}

for b in $BATCHES; do point batch "$b"; done
for s in $SIZES; do point size "$s"; done
exit $fail
