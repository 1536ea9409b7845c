#!/usr/bin/env bash
# Fewer images than classes: MNIST LeNet with 5 images (rows start as classes 0-4, soft labels
# over all 10), fixed init, 1 step x 3 epochs as the seed. Why does the 350-epoch run
# (mnist-lenet-5-classes.log) peak at epoch 125 (85.70 %) and end at 81.42 %? These rows keep
# 1,000 training examples out of distillation and evaluate the set on them every 10 epochs
# (--select-on-validation), write every outer iteration's loss (--metrics), and change one
# thing each: the real batch (noise of the meta-gradient) and the unroll length (T = 10 with
# seeds 2 and 3 for its spread); then T = 10 with half the minibatch noise (real batch 2,048) over
# twice the epochs at half the decay (the same number of outer iterations and rate schedule),
# and the same over 800 epochs halved every 140 with the set judged after every epoch;
# then T = 10 with the rows starting as the class means of classes 0-4 (--sample-init kmeans).
# One log per row in docs/results/study-NAME.log, wall time and peak RSS from /usr/bin/time.
#   TEXTDISTILL_BIN=/tmp/td-study docs/results/study-five-images.sh [NAME ...]
set -u
main() {
cd "$(dirname "$0")/../.."
local bin=${TEXTDISTILL_BIN:-.build/release/textdistill}
local common=(distill --data mnist --model lenet --distill-classes 5 --distill-lr 0.01 --lr 0.01 --init fixed
    --epochs 200 --decay-epochs 35 --eval-every 10 --select-on-validation 1000 --no-full-data --no-baselines)
declare -A rows=(
    [five-T3]="--distill-epochs 3"
    [five-T3-batch4096]="--distill-epochs 3 --batch-size 4096"
    [five-T10]="--distill-epochs 10"
    [five-T10-seed2]="--distill-epochs 10 --seed 2"
    [five-T10-seed3]="--distill-epochs 10 --seed 3"
    [five-T30]="--distill-epochs 30"
    [five-T10-batch2048-400]="--distill-epochs 10 --batch-size 2048 --epochs 400 --decay-epochs 70"
    [five-T10-batch2048-400-seed2]="--distill-epochs 10 --batch-size 2048 --epochs 400 --decay-epochs 70 --seed 2"
    [five-T10-batch2048-400-seed3]="--distill-epochs 10 --batch-size 2048 --epochs 400 --decay-epochs 70 --seed 3"
    [five-T10-batch2048-800]="--distill-epochs 10 --batch-size 2048 --epochs 800 --decay-epochs 140 --eval-every 1"
    [five-T10-batch2048-800-seed2]="--distill-epochs 10 --batch-size 2048 --epochs 800 --decay-epochs 140 --eval-every 1 --seed 2"
    [five-T10-batch2048-800-seed3]="--distill-epochs 10 --batch-size 2048 --epochs 800 --decay-epochs 140 --eval-every 1 --seed 3"
    [five-T10-kmeans]="--distill-epochs 10 --sample-init kmeans"
)
local order=(five-T3 five-T3-batch4096 five-T10 five-T10-seed2 five-T10-seed3 five-T30)
[ $# -gt 0 ] && order=("$@")
local name
for name in "${order[@]}"; do
    # shellcheck disable=SC2086
    /usr/bin/time -v "$bin" "${common[@]}" ${rows[$name]} --output "docs/results/study-$name.safetensors" \
        --metrics "docs/results/study-$name.csv" > "docs/results/study-$name.log" 2>&1
done
}
main "$@"; exit $?
