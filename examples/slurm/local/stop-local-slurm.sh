#!/usr/bin/env bash
# Stops what start-local-slurm.sh DIR started: slurmd, slurmctld and munged, each by the pid in its
# pid file under DIR (never by name: other SLURM or munge daemons on the machine are left alone).
set -uo pipefail
dir="${1:?usage: stop-local-slurm.sh DIR}"
for f in "$dir/d.pid" "$dir/ctld.pid" "$dir/munge/munged.pid"; do
  [ -s "$f" ] || continue
  pid="$(cat "$f")"
  kill "$pid" 2>/dev/null || continue
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
done
exit 0
