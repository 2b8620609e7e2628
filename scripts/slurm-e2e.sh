#!/usr/bin/env bash
# End-to-end test of coopsim scale-out on a throwaway single-node Slurm cluster.
#
#   sudo scripts/slurm-e2e.sh [EXPERIMENT]      (default: experiments/testdata/small.toml)
#
# What it does:
#   1. installs Debian's slurm-wlm and munge if they are missing (needs root);
#   2. builds coopsim (go build ./cmd/coopsim) into a fresh temporary directory;
#   3. starts a private munged, slurmctld and slurmd, configured in that
#      directory (SLURM_CONF points there; nothing under /etc is changed,
#      random free ports on 127.0.0.1 are used);
#   4. submits experiments/slurm/submit.sh with SHARDS=3 (a 3-task array job
#      + a merge job with --dependency=afterok:<array>) and waits for both;
#   5. runs the same experiment on one machine (coopsim run FILE --out DIR);
#   6. compares the merged directory with the single-machine one byte for
#      byte (diff -r, plots/ excluded) and prints PASS or FAIL.
# Daemons it started are stopped and the temporary directory is removed on
# every exit path.
#
# Environment:
#   SLURM_E2E_SELFTEST=1   test only the Slurm machinery, with a stand-in
#                          shell script in place of the coopsim binary
#   SLURM_E2E_SHARDS       number of shards (default 3)
#   SLURM_E2E_TIMEOUT      seconds to wait for the jobs (default 300)
#   SLURM_E2E_KEEP=1       keep the temporary directory (logs, results)
#   GO                     go command (default: go)
set -euo pipefail

log() { printf '[slurm-e2e] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

SELFTEST=${SLURM_E2E_SELFTEST:-0}
SHARDS=${SLURM_E2E_SHARDS:-3}
TIMEOUT=${SLURM_E2E_TIMEOUT:-300}
KEEP=${SLURM_E2E_KEEP:-0}
GO=${GO:-go}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# An explicit argument is relative to the caller's directory, the default to the repo.
if [[ $# -ge 1 ]]; then
	experiment_src=$(realpath -m -- "$1")
else
	experiment_src=$repo/experiments/testdata/small.toml
fi
cd "$repo"

[[ $(id -u) -eq 0 ]] || die "must run as root (it starts slurmctld/slurmd/munged as root)"
[[ $SHARDS =~ ^[1-9][0-9]*$ ]] || die "SLURM_E2E_SHARDS must be a positive integer"
if [[ $SELFTEST != 1 && ! -f $experiment_src ]]; then
	die "experiment file $experiment_src not found (pass one as the first argument)"
fi

start_time=$(date +%s)

# ---------------------------------------------------------------- packages
need_install=0
for cmd in slurmctld slurmd sbatch squeue sinfo scontrol scancel munged mungekey munge; do
	command -v "$cmd" >/dev/null 2>&1 || need_install=1
done
if ((need_install)); then
	log "installing slurm-wlm and munge"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq </dev/null
	apt-get install -y -qq --no-install-recommends slurm-wlm munge </dev/null >/dev/null
fi

# ---------------------------------------------------------------- state
TMP=$(mktemp -d "${TMPDIR:-/tmp}/coopsim-slurm-e2e.XXXXXX")
# munged insists that every directory above its socket is world-executable.
chmod 755 "$TMP"
mkdir -p "$TMP"/{etc,state,spool,run,log,work,out}
mkdir -m 700 "$TMP/munge-key"
mkdir -m 755 "$TMP/munge-run"

munged_pid='' slurmctld_pid='' slurmd_pid=''
verdict=''
submitted_jobs=()

stop_pid() { # stop_pid NAME PID: TERM, wait up to 15s, then KILL
	local name=$1 pid=$2 i
	[[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 150; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "$name ($pid) did not stop, killing it"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	local rc=$?
	set +e
	trap - EXIT INT TERM HUP
	# Keep going if our stdout/stderr has gone away (e.g. piped into head):
	# the daemons must be stopped in any case.
	trap '' PIPE
	if [[ -n $slurmctld_pid ]] && kill -0 "$slurmctld_pid" 2>/dev/null && ((${#submitted_jobs[@]})); then
		# Cancel whatever is left and let slurmd reap the job steps before it stops.
		# (bounded: after a Ctrl-C the daemons may already be going down)
		timeout 5 scancel "${submitted_jobs[@]}" >/dev/null 2>&1
		for ((i = 0; i < 50; i++)); do
			queue=$(timeout 5 squeue -h -o %i 2>/dev/null) || break
			[[ -z $queue ]] && break
			sleep 0.2
		done
	fi
	stop_pid slurmd "$slurmd_pid"
	stop_pid slurmctld "$slurmctld_pid"
	stop_pid munged "$munged_pid"
	if ((rc != 0)) && [[ -d $TMP/log ]]; then
		# *.log are the daemons' log files; *.out their stdout/stderr, which
		# only matters when they died before opening the log file.
		for f in "$TMP"/log/slurm*.log "$TMP"/log/slurm*.out; do
			[[ -s $f ]] || continue
			[[ $f == *.out && -s ${f%.out}.log ]] && continue
			log "---- last lines of $(basename "$f") ----"
			tail -n 15 "$f" >&2
		done
	fi
	if ((rc != 0)) && [[ -z $verdict ]]; then
		echo "FAIL: slurm-e2e (exit status $rc before the results were compared)"
	fi
	if [[ $KEEP == 1 ]]; then
		log "kept $TMP"
	else
		rm -rf "$TMP"
	fi
	log "finished in $(($(date +%s) - start_time))s"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE

# ---------------------------------------------------------------- coopsim
# The experiment is used where it is, not copied: experiment files may
# include others by relative path (include = "fitted.toml"). The Slurm jobs
# and the single-machine run read the very same file.
experiment=$experiment_src
if [[ $SELFTEST == 1 ]]; then
	log "SELFTEST: using a stand-in for the coopsim binary"
	coopsim=$TMP/work/coopsim-standin
	cat >"$coopsim" <<'STANDIN'
#!/usr/bin/env bash
# Stand-in for coopsim with the same CLI shape:
#   run FILE [--shard k/n] --out DIR [--quiet]   sample i in 1..24 goes to shard ((i-1) % n)+1
#   merge DIR... --out DIR                       concatenates and sorts the shards
# STANDIN_FAIL_SHARD=k makes shard k fail (to exercise the failure path).
set -euo pipefail
cmd=$1; shift
args=() shard=1/1 out=
while (($#)); do
	case $1 in
	--shard) shard=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--quiet) shift ;;
	*) args+=("$1"); shift ;;
	esac
done
[[ -n $out ]] || { echo "stand-in: --out is required" >&2; exit 2; }
mkdir -p "$out"
case $cmd in
run)
	k=${shard%/*} n=${shard#*/}
	if [[ ${STANDIN_FAIL_SHARD:-} == "$k" ]]; then
		echo "stand-in: shard $k fails on purpose" >&2
		exit 3
	fi
	seed=$(cksum <"${args[0]}" | cut -d' ' -f1)
	for ((i = 1; i <= 24; i++)); do
		if (((i - 1) % n == k - 1)); then
			echo "$i $(((seed * i) % 1000003))"
		fi
	done >"$out/samples.txt"
	sleep 1 # long enough for array tasks to overlap
	;;
merge)
	for d in "${args[@]}"; do cat "$d/samples.txt"; done | sort -n >"$out/samples.txt"
	;;
*) echo "stand-in: unknown command $cmd" >&2; exit 2 ;;
esac
wc -l <"$out/samples.txt" >"$out/count.txt"
STANDIN
	chmod +x "$coopsim"
	if [[ ! -f $experiment ]]; then
		experiment=$TMP/work/experiment.toml
		printf '# stand-in experiment\nname = "selftest"\n' >"$experiment"
	fi
else
	coopsim=$TMP/coopsim
	log "building coopsim"
	"$GO" build -o "$coopsim" ./cmd/coopsim
fi

# The daemons run in their own sessions (setsid execs them, keeping the PID)
# so that a Ctrl-C reaches only this script, whose cleanup then cancels the
# jobs and stops the daemons in order.

# ---------------------------------------------------------------- munge
# A private munged with its own key and socket, so an existing munge
# installation (or a second run of this script) is left alone.
munge_socket=$TMP/munge-run/munge.socket
mungekey --create --keyfile="$TMP/munge-key/munge.key" --bits=1024 >/dev/null 2>&1 ||
	dd if=/dev/urandom of="$TMP/munge-key/munge.key" bs=128 count=1 status=none
chmod 400 "$TMP/munge-key/munge.key"
setsid munged --foreground --socket="$munge_socket" \
	--key-file="$TMP/munge-key/munge.key" \
	--pid-file="$TMP/munge-run/munged.pid" \
	--seed-file="$TMP/munge-key/munged.seed" \
	--log-file="$TMP/log/munged.log" \
	</dev/null >>"$TMP/log/munged.out" 2>&1 &
munged_pid=$!
for ((i = 0; i < 50; i++)); do
	[[ -S $munge_socket ]] && break
	kill -0 "$munged_pid" 2>/dev/null || { cat "$TMP/log/munged.out" >&2; die "munged exited"; }
	sleep 0.1
done
munge -S "$munge_socket" -n </dev/null | unmunge -S "$munge_socket" >/dev/null ||
	die "munge credential round trip failed"
log "munged running (pid $munged_pid)"

# ---------------------------------------------------------------- slurm.conf
port_in_use() { # any TCP socket (listening or lingering) bound to local port $1
	local hex
	hex=$(printf ':%04X' "$1")
	awk -v p="$hex" 'FNR > 1 && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }' \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null
}
free_port() {
	local p
	for ((i = 0; i < 100; i++)); do
		p=$((20000 + RANDOM % 20000))
		port_in_use "$p" || port_in_use "$((p + 1))" || { echo "$p"; return; }
	done
	die "no free TCP port found"
}
ctld_port=$(free_port)
slurmd_port=$((ctld_port + 1))

cpus=$(nproc)
mem_mb=$(awk '/^MemAvailable:/ { printf "%d", $2 / 1024 * 0.8 }' /proc/meminfo)
((mem_mb >= 256)) || mem_mb=256

# Do not let an outer Slurm environment (SBATCH_PARTITION, SLURM_JOB_ID, ...)
# leak into our client commands and jobs.
while read -r var; do
	unset "$var"
done < <(compgen -e | grep -E '^(SLURM|SBATCH|SALLOC|SRUN|SQUEUE|SINFO|SCONTROL)_' || true)
export SLURM_CONF=$TMP/etc/slurm.conf
: >"$TMP/etc/plugstack.conf"
cat >"$SLURM_CONF" <<EOF
# Generated by scripts/slurm-e2e.sh: single-node throwaway cluster.
ClusterName=coopsim-e2e
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$munge_socket
StateSaveLocation=$TMP/state
SlurmdSpoolDir=$TMP/spool
SlurmctldPidFile=$TMP/run/slurmctld.pid
SlurmdPidFile=$TMP/run/slurmd.pid
SlurmctldLogFile=$TMP/log/slurmctld.log
SlurmdLogFile=$TMP/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=$TMP/etc/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
ReturnToService=2
MinJobAge=600
InactiveLimit=0
KillWait=5
Waittime=0
NodeName=localhost NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=e2e Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
log "slurm config in $SLURM_CONF (ports $ctld_port/$slurmd_port, $cpus CPUs, ${mem_mb} MB)"

# ---------------------------------------------------------------- daemons
setsid slurmctld -D -c -f "$SLURM_CONF" </dev/null >>"$TMP/log/slurmctld.out" 2>&1 &
slurmctld_pid=$!
for ((i = 0; i < 100; i++)); do
	scontrol ping 2>/dev/null | grep -q 'is UP' && break
	kill -0 "$slurmctld_pid" 2>/dev/null || die "slurmctld exited"
	sleep 0.2
done
scontrol ping 2>/dev/null | grep -q 'is UP' || die "slurmctld did not come up"
log "slurmctld running (pid $slurmctld_pid)"

setsid slurmd -D -N localhost -f "$SLURM_CONF" </dev/null >>"$TMP/log/slurmd.out" 2>&1 &
slurmd_pid=$!
state=
for ((i = 0; i < 150; i++)); do
	state=$(sinfo -h -n localhost -o %T 2>/dev/null || true)
	[[ $state == idle ]] && break
	kill -0 "$slurmd_pid" 2>/dev/null || die "slurmd exited"
	sleep 0.2
done
if [[ $state != idle ]]; then
	sinfo -N -l >&2 || true
	scontrol show node localhost >&2 || true
	die "node did not become idle (state: '${state:-unknown}')"
fi
log "slurmd running (pid $slurmd_pid), node localhost idle"

# ---------------------------------------------------------------- submit
cd "$TMP/work"
outdir=$TMP/out/slurm
submit_out=$(COOPSIM=$coopsim EXPERIMENT=$experiment OUTDIR=$outdir SHARDS=$SHARDS \
	"$repo/experiments/slurm/submit.sh")
array_id=$(sed -n 's/^ARRAY_JOB_ID=//p' <<<"$submit_out")
merge_id=$(sed -n 's/^MERGE_JOB_ID=//p' <<<"$submit_out")
[[ -n $array_id && -n $merge_id ]] || die "could not parse submit.sh output: $submit_out"
submitted_jobs=("$array_id" "$merge_id")
log "submitted array job $array_id (${SHARDS} shards) and merge job $merge_id (afterok:$array_id)"

show_logs() {
	for f in "$outdir"/logs/*; do
		[[ -f $f ]] || continue
		log "---- $(basename "$f") ----"
		cat "$f" >&2
	done
	scontrol show job "$array_id" 2>/dev/null | grep -E 'JobId=|JobState=' >&2 || true
	scontrol show job "$merge_id" 2>/dev/null | grep -E 'JobId=|JobState=' >&2 || true
}

deadline=$(($(date +%s) + TIMEOUT))
last=
while :; do
	kill -0 "$slurmctld_pid" 2>/dev/null || die "slurmctld died while the jobs were queued"
	kill -0 "$slurmd_pid" 2>/dev/null || die "slurmd died while the jobs were queued"
	# squeue fails ("Invalid job id") only once finished jobs have been purged.
	queue=$(squeue -h -j "$array_id,$merge_id" -o '%i:%T' 2>/dev/null | sort | tr '\n' ' ') || queue=''
	[[ -z $queue ]] && break
	if [[ $queue != "$last" ]]; then
		log "queue: $queue"
		last=$queue
	fi
	if (($(date +%s) >= deadline)); then
		show_logs
		die "jobs still queued after ${TIMEOUT}s: $queue"
	fi
	sleep 0.5
done

merge_rc=$(cat "$outdir/merge.exit" 2>/dev/null || echo "missing")
if [[ $merge_rc != 0 ]]; then
	show_logs
	verdict=FAIL
	echo "FAIL: slurm-e2e: the merge job did not succeed (merge.exit: $merge_rc)"
	exit 1
fi
log "array + merge jobs finished; merge.exit=0"

# ---------------------------------------------------------------- compare
single=$TMP/out/single
log "running the same experiment on one machine"
"$coopsim" run "$experiment" --out "$single" --quiet >&2

if diff -r --exclude=plots "$single" "$outdir/merged" >"$TMP/diff.txt" 2>&1; then
	nfiles=$(find "$single" -path "$single/plots" -prune -o -type f -print | wc -l)
	log "merged result of $SHARDS Slurm shards == single-machine result ($nfiles files compared)"
	verdict=PASS
	echo "PASS: slurm-e2e$([[ $SELFTEST == 1 ]] && echo ' (selftest, stand-in coopsim)')"
else
	head -n 50 "$TMP/diff.txt" >&2
	show_logs
	verdict=FAIL
	echo "FAIL: slurm-e2e: merged result differs from single-machine result"
	exit 1
fi
