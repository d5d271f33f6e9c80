#!/usr/bin/env bash
# What Slurm costs the two cluster paths, on the test cluster (bash scripts/slurm-up.sh first):
# sbatch --wait for an empty job, a trivial job step (srun -n1 --exact true) against a local fork,
# one `prunelab trial` as a step against the same trial as a local process, and the small
# adaptive sweep of the tests run locally (--workers 2) and as job steps (sbatch -n 2). The README's
# cluster section quotes these numbers.
#   bash scripts/slurm-overhead.sh [repeats, default 20]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${PRUNELAB_SLURM_DIR:-/tmp/prunelab-slurm}
export SLURM_CONF=$dir/slurm.conf
reps=${1:-20}
work=$(mktemp -d /tmp/prunelab-overhead-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

t=$(date +%s%N)
for _ in 1 2 3; do sbatch --wait -o /dev/null --wrap true >/dev/null; done
echo "sbatch --wait, empty job: $(( $(ms "$t") / 3 )) ms each (mean of 3)"

trial=(trial --json --progress=never --d=64 --alpha=0.25 --link=he2 --method=hermite-thr --n=256 --seed=1)
cat >steps.sh <<EOF
#!/bin/bash
ms() { echo \$(( (\$(date +%s%N) - \$1) / 1000000 )); }
t=\$(date +%s%N); for i in \$(seq $reps); do /bin/true; done; fork=\$(ms \$t)
t=\$(date +%s%N); for i in \$(seq $reps); do srun -n1 --exact --quiet /bin/true; done; step=\$(ms \$t)
t=\$(date +%s%N)
for i in \$(seq $(( reps / 2 ))); do srun -n1 --exact --quiet /bin/true & srun -n1 --exact --quiet /bin/true & wait; done
pair=\$(ms \$t)
echo "trivial step (srun -n1 --exact true), one at a time: \$(( step / $reps )) ms each; two at a time: \$(( pair / $reps )) ms per step; a local fork of true: \$(( fork * 1000 / $reps )) us"
t=\$(date +%s%N); for i in 1 2 3 4 5; do "$(command -v node)" "$root/bin/prunelab.js" ${trial[*]} >/dev/null; done; local=\$(ms \$t)
t=\$(date +%s%N); for i in 1 2 3 4 5; do srun -n1 --exact --quiet "$(command -v node)" "$root/bin/prunelab.js" ${trial[*]} >/dev/null; done; stepped=\$(ms \$t)
echo "prunelab trial (d=64, n=256) as a local process: \$(( local / 5 )) ms; as a job step: \$(( stepped / 5 )) ms (mean of 5)"
EOF
sbatch --wait -n 2 -o steps.out steps.sh >/dev/null
cat steps.out

small=(sweep --preset separation --d 64,128 --methods hermite-thr --max-trials 8)
t=$(date +%s%N)
node "$root/bin/prunelab.js" "${small[@]}" --workers 2 --out local.jsonl >/dev/null 2>&1
echo "the small adaptive sweep ($(wc -l <local.jsonl) trials), --workers 2 on this machine: $(ms "$t") ms"
t=$(date +%s%N)
sbatch --wait -n 2 -o sweep.out --wrap "'$(command -v node)' '$root/bin/prunelab.js' ${small[*]} --runner slurm --out slurm.jsonl" >/dev/null
echo "the same sweep, --runner slurm in sbatch -n 2 --wait: $(ms "$t") ms"
