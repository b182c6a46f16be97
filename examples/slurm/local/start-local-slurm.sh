#!/usr/bin/env bash
# A single-node SLURM (controller + one compute node = this machine) with every file under one folder,
# for trying ij-diffusion-array.sbatch without a cluster, and for the project's test of it.
# Needs root and Debian's slurm-wlm + munge (apt-get install -y slurm-wlm munge). Touches nothing in
# /etc: its own munge key and socket, its own slurm.conf (use it with SLURM_CONF=DIR/slurm.conf).
#
#   examples/slurm/local/start-local-slurm.sh DIR      # prints "export SLURM_CONF=DIR/slurm.conf" when the node is idle
#   SLURM_CONF=DIR/slurm.conf sbatch ...
#   examples/slurm/local/stop-local-slurm.sh DIR       # stops the three daemons by their pid files
#
# Ports: SLURMCTLD_PORT / SLURMD_PORT (default 6817 / 6818). Exit 2 with a reason when it cannot start.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"   # the daemons live in sbin

dir="${1:?usage: start-local-slurm.sh DIR}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd -P)"
fail() { echo "start-local-slurm: $*" >&2; exit 2; }

[ "$(id -u)" = 0 ] || fail "needs root (slurmd runs jobs as their users)"
for b in munged slurmctld slurmd sbatch sinfo; do
  command -v "$b" >/dev/null 2>&1 || fail "$b not found (apt-get install -y slurm-wlm munge)"
done

host="$(hostname -s)"
cpus="$(nproc)"
# what slurmd will find (MB), a little less so that the node is not drained for "low RealMemory"
mem=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 * 9 / 10 ))
ctld_port="${SLURMCTLD_PORT:-6817}"
d_port="${SLURMD_PORT:-6818}"

mkdir -p "$dir/munge" "$dir/state" "$dir/spool"
chmod 700 "$dir/munge"
# munged refuses group/world-accessible keys and folders; a fresh key, used only by these daemons
if [ ! -s "$dir/munge/munge.key" ]; then
  (umask 077; head -c 1024 /dev/urandom > "$dir/munge/munge.key")
fi
munged --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
  --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed" \
  || fail "munged did not start (see $dir/munge/munged.log)"

cat > "$dir/slurm.conf" <<CONF
ClusterName=local
SlurmctldHost=$host
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldLogFile=$dir/ctld.log
SlurmdLogFile=$dir/d.log
SlurmctldPidFile=$dir/ctld.pid
SlurmdPidFile=$dir/d.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"

slurmctld -i || fail "slurmctld did not start (see $dir/ctld.log)"
slurmd || fail "slurmd did not start (see $dir/d.log)"

# wait (30 s at most) for the node to report idle
for _ in $(seq 60); do
  state="$(sinfo -h -N -o %t 2>/dev/null | head -1 || true)"
  if [ "$state" = "idle" ]; then
    echo "export SLURM_CONF=$dir/slurm.conf"
    exit 0
  fi
  sleep 0.5
done
fail "node $host did not become idle (state '${state:-none}'; see $dir/ctld.log and $dir/d.log)"
