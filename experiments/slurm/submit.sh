#!/usr/bin/env bash
# Submit a sharded coopsim experiment to Slurm: a job array with one task per
# shard (array.sbatch) plus a merge job (merge.sbatch) that runs only after
# every shard succeeded (--dependency=afterok:<array job id>).
#
# Usage:
#   COOPSIM=/path/to/coopsim EXPERIMENT=exp.toml OUTDIR=/shared/run1 SHARDS=8 \
#     experiments/slurm/submit.sh
#
# Environment:
#   COOPSIM      coopsim binary (default: `command -v coopsim`)
#   EXPERIMENT   experiment TOML file (required)
#   OUTDIR       results directory on a shared filesystem (required)
#   SHARDS       number of shards / array tasks (default: 4)
#   COMMAND      run (default), sensitivity or discover: shard an experiment's
#                runs, or the design points of its [sensitivity] or
#                [discover] study
#   ARRAY_LIMIT  optional: run at most this many shards at once (--array=1-N%LIMIT)
#   CPUS_PER_SHARD  cores per shard, coopsim --workers (default: 1)
#   SBATCH_*     sbatch's own input variables (SBATCH_PARTITION, SBATCH_ACCOUNT,
#                SBATCH_TIMELIMIT, ...) apply to both jobs
#
# Prints two lines, easy to parse or eval:
#   ARRAY_JOB_ID=<id>
#   MERGE_JOB_ID=<id>
# Shard k ends up in $OUTDIR/shard-k, the merged result in $OUTDIR/merged,
# the merge job's exit status in $OUTDIR/merge.exit, job logs in $OUTDIR/logs.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

COOPSIM=${COOPSIM:-$(command -v coopsim || true)}
: "${COOPSIM:?set COOPSIM to the coopsim binary}"
: "${EXPERIMENT:?set EXPERIMENT to the experiment TOML file}"
: "${OUTDIR:?set OUTDIR to the results directory}"
SHARDS=${SHARDS:-4}

if ! [[ $SHARDS =~ ^[1-9][0-9]*$ ]]; then
	echo "submit.sh: SHARDS must be a positive integer, got '$SHARDS'" >&2
	exit 2
fi
[[ -x $COOPSIM ]] || { echo "submit.sh: COOPSIM=$COOPSIM is not executable" >&2; exit 2; }
case ${COMMAND:=run} in
run | sensitivity | discover) ;;
*)
	echo "submit.sh: COMMAND must be run, sensitivity or discover, got '$COMMAND'" >&2
	exit 2
	;;
esac
[[ -f $EXPERIMENT ]] || { echo "submit.sh: EXPERIMENT=$EXPERIMENT not found" >&2; exit 2; }

# Jobs may start in another directory on another node: use absolute paths.
COOPSIM=$(realpath "$COOPSIM")
EXPERIMENT=$(realpath "$EXPERIMENT")
mkdir -p "$OUTDIR/logs"
OUTDIR=$(realpath "$OUTDIR")
export COOPSIM EXPERIMENT OUTDIR SHARDS COMMAND

array_spec="1-$SHARDS"
if [[ ! ${CPUS_PER_SHARD:-1} =~ ^[1-9][0-9]*$ ]]; then
	echo "submit.sh: CPUS_PER_SHARD must be a positive integer" >&2
	exit 2
fi
if [[ -n ${ARRAY_LIMIT:-} ]]; then
	array_spec+="%$ARRAY_LIMIT"
fi

array=$(sbatch --parsable --export=ALL \
	--array="$array_spec" \
	--cpus-per-task="${CPUS_PER_SHARD:-1}" \
	--output="$OUTDIR/logs/shard-%A_%a.out" \
	"$here/array.sbatch")
array=${array%%;*} # "jobid;cluster" on multi-cluster setups

merge=$(sbatch --parsable --export=ALL \
	--dependency="afterok:$array" --kill-on-invalid-dep=yes \
	--output="$OUTDIR/logs/merge-%j.out" \
	"$here/merge.sbatch")
merge=${merge%%;*}

echo "ARRAY_JOB_ID=$array"
echo "MERGE_JOB_ID=$merge"
