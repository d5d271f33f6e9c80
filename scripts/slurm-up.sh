#!/usr/bin/env bash
# Starts a single-node Slurm on this machine for the Slurm tests (test/slurm/): munged, slurmctld
# and slurmd, every file of theirs under one directory, and waits until the node is idle.
#   bash scripts/slurm-up.sh [--install]    # --install: apt-get install the Debian packages first
#   export SLURM_CONF=/tmp/prunelab-slurm/slurm.conf   # what the script prints last
#   bash scripts/slurm-down.sh              # stops what this script started
# The directory is $PRUNELAB_SLURM_DIR (default /tmp/prunelab-slurm); the tests look there too.
# Needs root (SlurmUser=root) and free ports 6817 and 6818. No cgroups and no systemd are needed:
# the plugins below track processes by /proc and account nothing.
set -euo pipefail
dir=${PRUNELAB_SLURM_DIR:-/tmp/prunelab-slurm}
say() { echo "slurm-up: $*" >&2; }

if [ "${1:-}" = "--install" ] && ! command -v slurmctld >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  # the package index may be missing on a fresh machine; update only when the plain install fails
  apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null; }
fi
for c in munged slurmctld slurmd sinfo; do
  command -v "$c" >/dev/null 2>&1 || { say "$c is not installed (bash scripts/slurm-up.sh --install, or apt-get install slurmctld slurmd slurm-client munge)"; exit 3; }
done
[ "$(id -u)" = 0 ] || { say "needs root: the test cluster runs slurmctld and slurmd as root (SlurmUser=root)"; exit 3; }

if [ -f "$dir/slurmctld.pid" ] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null; then
  say "already running (slurmctld pid $(cat "$dir/slurmctld.pid")); bash scripts/slurm-down.sh stops it"
  echo "SLURM_CONF=$dir/slurm.conf"
  exit 0
fi
for port in 6817 6818; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then say "port $port is taken: another Slurm runs here"; exit 3; fi
done
mkdir -p "$dir/state" "$dir/spool" "$dir/log"

# munge: the package makes the key; the socket directory is ours to make (no systemd here)
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  chmod 0755 /run/munge
  runuser -u munge -- /usr/sbin/munged
  touch "$dir/munged.ours"
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  munge -n | unmunge >/dev/null || { say "munged did not come up"; exit 1; }
fi

host=$(hostname -s)
node=$(slurmd -C | head -n1) # NodeName=<host> CPUs=... RealMemory=...
cat >"$dir/slurm.conf" <<EOF
ClusterName=prunelab
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
# no cgroups here: track processes through /proc, bind nothing, account nothing
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MailProg=/bin/true
# schedule at once; sbatch --wait polls every 2 s while MinJobAge <= 4 (slower beyond), and a job
# record kept 4 s outlives one poll (at 2 s, sbatch --wait can miss the end: "Job N no longer found")
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerParameters=batch_sched_delay=0
MinJobAge=4
# a job that can never fit is refused at submission instead of pending forever
EnforcePartLimits=ALL
ReturnToService=2
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$dir/slurm.conf
t0=$(date +%s%N)
slurmctld -c -i
slurmd
for _ in $(seq 100); do
  state=$(sinfo -h -N -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.1
done
if [ "$state" != idle ]; then
  say "the node did not become idle (sinfo says '${state:-nothing}'); logs in $dir/log"
  tail -n 5 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
  exit 1
fi
say "node $host idle in $(( ($(date +%s%N) - t0) / 1000000 )) ms; stop with bash scripts/slurm-down.sh"
echo "SLURM_CONF=$dir/slurm.conf"
