#!/usr/bin/env bash
# --resume under MPI: a TREC-6 Bi-LSTM run (random init, --nets 2, 2 epochs, a checkpoint every
# epoch) under mpirun -np 2 is interrupted (SIGINT to its ranks) after its first checkpoint,
# resumed under mpirun -np 2, and compared with the same run in one process, uninterrupted.
# Output: docs/results/mpi-resume.log.
set -u
cd "$(dirname "$0")/../.."
bin=$PWD/.build/release
work=$(mktemp -d)
cd "$work"
export OMPI_MCA_btl_vader_single_copy_mechanism=none
mpi=(mpirun --allow-run-as-root --oversubscribe -np 2)
options=(distill --init random --nets 2 --epochs 2 --checkpoint-every 1 --no-baselines --no-full-data --test-nets 2)
"$bin/textdistill" "${options[@]}" --output one.safetensors > one.log 2>&1 &
"${mpi[@]}" "$bin/textdistill-mpi" "${options[@]}" --output mpi.safetensors > mpi.log 2>&1 &
job=$!
until [ -f mpi.checkpoint.safetensors ]; do sleep 0.1; done
sleep 1
pkill -INT -f "textdistill-mpi distill"
wait
grep -v "^distill\|^\s*$" mpi.log | tail -4
"${mpi[@]}" "$bin/textdistill-mpi" distill --resume mpi.checkpoint.safetensors > resumed.log 2>&1
grep -E "resuming" resumed.log
echo -n "one process, uninterrupted, against mpirun -np 2 interrupted and resumed: "
"$bin/textdistill-mpi" compare one.safetensors mpi.safetensors 1e-5
cd / && rm -rf "$work"
