#!/usr/bin/env bash
# Peak RSS and time per outer iteration against the unroll length T, full against checkpointed
# (--unroll-memory), MNIST LeNet, 10 distilled images (1 step × T epochs), real batch 1024:
# `textdistill bench --config mnist-lenet --distill-epochs T --unroll-memory M`, one process per
# figure (peak RSS is the process's), the two modes alternately, two rounds.
# Output: docs/results/unroll-memory.log.
set -u
cd "$(dirname "$0")/../.."
bin=.build/release/textdistill
"$bin" bench --config core | head -1
for round in 1 2; do
    for t in 10 30 100 300; do
        case $t in 10) iterations=10 ;; 30) iterations=8 ;; 100) iterations=5 ;; *) iterations=4 ;; esac
        for memory in full checkpointed; do
            "$bin" bench --config mnist-lenet --distill-epochs "$t" --unroll-memory "$memory" --iterations "$iterations" \
                | grep -E "median|peak RSS" | sed "s/^/round $round T=$t $memory  /"
        done
    done
done
