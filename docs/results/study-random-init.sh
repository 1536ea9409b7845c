#!/usr/bin/env bash
# A first study of the random-init regime on MNIST LeNet, 10 images (1 per class): what the
# unroll length T, a truncation window, a real-example init and more inits per iteration do.
# 50 outer epochs each (the headline runs use 350), evaluated on 20 fresh LeNets, beside 10
# random real images and 10 k-means centroids trained the same way. One log per row in
# docs/results/study-NAME.log; wall time and peak RSS from /usr/bin/time at its end.
#   TEXTDISTILL_BIN=/tmp/td-study docs/results/study-random-init.sh [NAME ...]
set -u
# Everything inside main, called on the last line with exit: bash reads a script as it runs,
# so an edit while a long study runs must not change what it does (it did once: see the note
# in docs/distillation.md).
main() {
cd "$(dirname "$0")/../.."
local bin=${TEXTDISTILL_BIN:-.build/release/textdistill}
local common=(distill --data mnist --model lenet --init random --distill-lr 0.01 --lr 0.01 --epochs 50
    --decay-epochs 15 --no-full-data --eval-every 10 --test-nets 20)
declare -A rows=(
    [mnist10-random-T3]="--distill-epochs 3"
    [mnist10-random-T30]="--distill-epochs 30"
    [mnist10-random-T30-window10]="--distill-epochs 30 --window 10"
    [mnist10-random-T30-real]="--distill-epochs 30 --sample-init real"
    [mnist10-random-T30-nets2]="--distill-epochs 30 --nets 2"
    [mnist10-random-T30-window10-real]="--distill-epochs 30 --window 10 --sample-init real"
    [mnist10-random-T30-window10-nets2]="--distill-epochs 30 --window 10 --nets 2"
    [mnist10-random-T30-lr003]="--distill-epochs 30 --lr 0.003"
    [mnist10-random-T30-window10-real-150]="--distill-epochs 30 --window 10 --sample-init real --epochs 150 --decay-epochs 45"
    [mnist10-random-T10]="--distill-epochs 10"
    [mnist10-random-T100-window10]="--distill-epochs 100 --window 10 --unroll-memory checkpointed"
    [mnist10-random-T30-window10-kmeans]="--distill-epochs 30 --window 10 --sample-init kmeans"
    [mnist10-random-T30-window10-kmeans-150]="--distill-epochs 30 --window 10 --sample-init kmeans --epochs 150 --decay-epochs 45"
    [mnist10-random-T30-window10-kmeans-batch2048-300]="--distill-epochs 30 --window 10 --sample-init kmeans --batch-size 2048 --epochs 300 --decay-epochs 60 --eval-every 5 --select-on-validation 1000"
    [mnist10-random-T100-window10-kmeans-batch2048-150]="--distill-epochs 100 --window 10 --unroll-memory checkpointed --sample-init kmeans --batch-size 2048 --epochs 150 --decay-epochs 30 --eval-every 5 --select-on-validation 1000"
    [mnist10-random-T30-window10-kmeans-nets2-batch2048-150]="--distill-epochs 30 --window 10 --nets 2 --sample-init kmeans --batch-size 2048 --epochs 150 --decay-epochs 30 --eval-every 5 --select-on-validation 1000"
    [mnist10-random-T30-window10-kmeans-lr003-150]="--distill-epochs 30 --window 10 --sample-init kmeans --lr 0.003 --epochs 150 --decay-epochs 45"
)
local order=(mnist10-random-T3 mnist10-random-T30 mnist10-random-T30-window10 mnist10-random-T30-real
    mnist10-random-T30-nets2 mnist10-random-T30-window10-real mnist10-random-T30-window10-nets2
    mnist10-random-T30-lr003 mnist10-random-T30-window10-real-150 mnist10-random-T10 mnist10-random-T100-window10
    mnist10-random-T30-window10-kmeans mnist10-random-T30-window10-kmeans-150)
[ $# -gt 0 ] && order=("$@")
local name
for name in "${order[@]}"; do
    # shellcheck disable=SC2086
    /usr/bin/time -v "$bin" "${common[@]}" ${rows[$name]} --output "docs/results/study-$name.safetensors" \
        > "docs/results/study-$name.log" 2>&1
done
}
main "$@"; exit $?
