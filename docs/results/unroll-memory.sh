#!/usr/bin/env bash
# Peak RSS and time per outer iteration against the unroll length T, full against checkpointed
# (--unroll-memory), MNIST LeNet, 10 distilled images (1 step × T epochs), real batch 1024:
# `textdistill bench --config mnist-lenet --distill-epochs T --unroll-memory M`, one process per
# figure (peak RSS is the process's), the two modes alternately. Output: docs/results/unroll-memory.log.
set -u
cd "$(dirname "$0")/../.."
bin=.build/release/textdistill
for t in 10 30 100 300; do
    iterations=$(( t >= 100 ? 4 : 6 ))
    for memory in full checkpointed; do
        "$bin" bench --config mnist-lenet --distill-epochs "$t" --unroll-memory "$memory" --iterations "$iterations" \
            | grep -E "median|peak RSS" | sed "s/^/T=$t $memory  /"
    done
done
