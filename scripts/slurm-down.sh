#!/usr/bin/env bash
# Stops the test cluster scripts/slurm-up.sh started: slurmd, slurmctld, and munged when that
# script started it. Only processes named by the pid files under $PRUNELAB_SLURM_DIR are signalled.
set -uo pipefail
dir=${PRUNELAB_SLURM_DIR:-/tmp/prunelab-slurm}
stop() { # pidfile
  [ -f "$1" ] || return 0
  local pid
  pid=$(cat "$1")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$1"
}
stop "$dir/slurmd.pid"
stop "$dir/slurmctld.pid"
if [ -f "$dir/munged.ours" ]; then
  stop /run/munge/munged.pid
  rm -f "$dir/munged.ours"
fi
echo "slurm-down: stopped the test cluster in $dir" >&2
