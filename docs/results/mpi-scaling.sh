#!/usr/bin/env bash
# Time per outer iteration of TREC-6 Bi-LSTM, random init, --nets 4 (one epoch: 6 iterations;
# the median of iterations 2-6 from --metrics), three ways, alternately, two rounds:
#   before:  the binary before this change (TD_BEFORE), inits one after another, 2 cores inside each
#   after:   textdistill, the inits of an iteration on the two cores at once (one BLAS thread each)
#   mpi-2:   mpirun -np 2 textdistill-mpi, two inits per rank (one core, one BLAS thread each)
# Output: docs/results/mpi-scaling.log.
set -u
cd "$(dirname "$0")/../.."
bin=.build/release
before=${TD_BEFORE:-/tmp/td-before}
work=$(mktemp -d)
export OMPI_MCA_btl_vader_single_copy_mechanism=none
options=(distill --init random --nets 4 --epochs 1 --no-baselines --no-full-data --test-nets 1)
median() {  # the median of the iteration durations in a metrics CSV (iterations 2 onward)
    awk -F, '$1=="iteration"{ if (n++) print $6-prev; prev=$6 }' "$1" | sort -g \
        | awk '{ d[NR]=$1 } END { print (NR%2 ? d[(NR+1)/2] : (d[NR/2]+d[NR/2+1])/2) }'
}
for round in 1 2; do
    for mode in before after mpi-2; do
        case $mode in
            before) "$before" "${options[@]}" --output "$work/$mode.safetensors" --metrics "$work/$mode.csv" >/dev/null 2>&1 ;;
            after) "$bin/textdistill" "${options[@]}" --output "$work/$mode.safetensors" --metrics "$work/$mode.csv" >/dev/null 2>&1 ;;
            mpi-2) mpirun --allow-run-as-root --oversubscribe -np 2 "$bin/textdistill-mpi" "${options[@]}" \
                --output "$work/$mode.safetensors" --metrics "$work/$mode.csv" 2>"$work/mpi.err" >/dev/null
                grep "all-reduced" "$work/mpi.err" ;;
        esac
        echo "round $round  $mode  median s/iteration $(median "$work/$mode.csv")"
    done
done
echo -n "after against mpi-2 (float32 learned values): "
"$bin/textdistill-mpi" compare "$work/after.safetensors" "$work/mpi-2.safetensors" 1
rm -rf "$work"
