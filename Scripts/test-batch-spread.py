#!/usr/bin/env python3
"""Re-evaluates fixed-init image artifacts in PyTorch and measures what the reference code's way
of testing would have printed for them.

For each artifact: the stored init is trained on the learned schedule (X, Y, η) by
../shared/bench/torch_dd.py's unroll and tested on the whole test split, in float32 (an
outside check of the accuracy TextDistill printed) and in float64 (how much rounding moves
it). Then the way the reference reads accuracy during training is replayed
(ssnl/dataset-distillation, which the seed's code forks: the 'Begin of epoch' evaluation every
--checkpoint_interval 10 epochs calls basics.py evaluate_steps without test_all, so
--test_niter 1 and --test_batch_size 1024 of a shuffled test loader apply; only the evaluation
after training and the test phase use the whole split): accuracy on one random batch of 1,024
test images, drawn --draws times. It prints that accuracy's mean, spread and percentiles, the
chance a draw reads at least --at %, and the mean of the best of --best draws (a run that
evaluates every 10 of 350 epochs and keeps the best reading takes the best of 35). With
--reference-log, the same replay for every evaluation of a torch_dd.py log: each run's best
reading, whole-test and one-batch. Last, over several sets: the mean ± std of their whole-split
accuracy and of their evaluations at --at-epoch, and with --reference-log the difference from
the reference runs' last evaluations with its Welch standard error.

Usage (needs data/mnist or data/fashion-mnist from Scripts/fetch-corpora, and a Python with
torch, numpy and safetensors; PyTorch is an outside oracle only):
  python Scripts/test-batch-spread.py docs/results/mnist-lenet-fixed{,-seed?}.safetensors \
      --reference-log docs/results/torch-mnist-lenet-fixed-seeds.log
"""
import argparse, os, sys
import numpy as np
import torch
from torch.func import functional_call
from safetensors.numpy import load_file
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The PyTorch reference is an outside tool (docs/outside-tools.md): TORCH_DD_DIR is the folder
# holding torch_dd.py (default: ../shared/bench beside this checkout).
REFERENCE = os.environ.get('TORCH_DD_DIR', os.path.join(ROOT, '..', 'shared', 'bench'))
if not os.path.exists(os.path.join(REFERENCE, 'torch_dd.py')):
    sys.exit(f'{REFERENCE}/torch_dd.py not found: set TORCH_DD_DIR to the folder holding the PyTorch reference '
             '(docs/outside-tools.md)')
sys.path.insert(0, REFERENCE)
import torch_dd as R
from artifact import metadata, lenet_init

ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
ap.add_argument('artifacts', nargs='*')
ap.add_argument('--reference-log', help='also replay the evaluations of a torch_dd.py log (docs/results/torch-mnist-lenet-fixed-seeds.log)')
ap.add_argument('--draws', type=int, default=100000)
ap.add_argument('--best', type=int, default=35)
ap.add_argument('--at', type=float, default=96.0)
ap.add_argument('--batch', type=int, default=1024)
ap.add_argument('--at-epoch', type=int, default=225, help='also summarise the sets\' evaluations at this epoch')
a = ap.parse_args()
R.DATA = os.path.join(ROOT, 'data')
rng = np.random.default_rng(0)
tests = {}

def one_batch(right, total, n):
    """Accuracy (%) on n random batches of a.batch test images, drawn without replacement from a
    test split of `total` images of which `right` are classified correctly: hypergeometric."""
    return rng.hypergeometric(right, total - right, a.batch, size=n) / a.batch * 100

def reference_log(path):
    """A torch_dd.py log ('## seed S' headers, 'epoch E loss L acc A' lines, A on the whole
    test split of 10,000): what the reference's protocol would have read at each evaluation,
    and the best of those readings per seed."""
    runs, seed = {}, None
    for line in open(path):
        f = line.split()
        if line.startswith('## seed'):
            seed = int(f[2]); runs[seed] = []
        elif f[:1] == ['epoch'] and 'acc' in f and seed is not None:
            runs[seed].append(float(f[f.index('acc') + 1]))
    print(f'{path}: {len(runs)} runs; the best whole-test reading per run, and the best one-batch reading (mean over {a.draws // 100} replays)')
    wholes, batches = [], []
    for seed, accs in runs.items():
        reads = np.stack([one_batch(round(x * 100), 10000, a.draws // 100) for x in accs])
        wholes.append(max(accs)); batches.append(reads.max(0).mean())
        print(f'  seed {seed}: {len(accs)} evaluations, last {accs[-1]:.2f}, best {max(accs):.2f}; best one-batch reading {batches[-1]:.2f} (P(≥ {a.at:g}) = {(reads.max(0) >= a.at).mean():.3f})')
    print(f'  mean over runs: best whole-test {np.mean(wholes):.2f}, best one-batch reading {np.mean(batches):.2f}')
    return [accs[-1] for accs in runs.values()]

def whole_test(meta, t, dtype):
    """Per-image correctness on the whole test split of the stored init trained on the set's
    learned schedule, computed in `dtype`."""
    corpus = meta['task']['data']
    if corpus not in tests:
        _, (Xt, yt), _ = R.load_idx(corpus)
        tests[corpus] = (Xt.double() * 0.3081 + 0.1307, yt)  # torch_dd normalises every set as MNIST: undo it
    Xt, yt = tests[corpus]
    # the set's own normalisation (artifacts from before it was recorded are MNIST's)
    Xt = ((Xt - meta['task'].get('normalisationMean', [0.1307])[0]) / meta['task'].get('normalisationStd', [0.3081])[0]).to(dtype)
    model = R.LeNet(meta['model']['classes']).to(dtype)
    tensor = lambda key: torch.tensor(t[key], dtype=dtype)
    w0 = lenet_init(model, t, dtype)
    S, lrs = sum(1 for k in t if k.startswith('inputs.')), tensor('learning_rates')
    steps = [(tensor(f'inputs.{s % S}'), tensor(f'labels.{s % S}'), lrs[s]) for s in range(len(lrs))]
    model.train()
    w = R.unroll(model, {k: v.requires_grad_(True) for k, v in w0.items()}, steps, meta['model']['classes'], False)
    model.eval()
    with torch.no_grad():
        return np.concatenate([(R.predict(functional_call(model, w, (Xt[i:i + 1000],)), meta['model']['classes']) == yt[i:i + 1000]).numpy()
                               for i in range(0, len(yt), 1000)])

reference_last = reference_log(a.reference_log) if a.reference_log else []
finals, at_epoch = [], []
for path in a.artifacts:
    meta, t = metadata(path), load_file(path)
    if meta['task']['kind'] != 'image' or meta['model']['kind'] != 'lenet' or meta['settings']['initialization'] != 'fixed':
        sys.exit(f'{path}: this script re-evaluates fixed-init LeNet artifacts only')
    correct, correct64 = whole_test(meta, t, torch.float32), whole_test(meta, t, torch.float64)
    draws = one_batch(int(correct.sum()), len(correct), a.draws)
    best = draws[: a.draws - a.draws % a.best].reshape(-1, a.best).max(1)
    reported = [r['accuracy']['values'][0] * 100 for r in meta.get('results', []) if r['name'] == 'distilled, fixed init']
    print(f"{os.path.basename(path)} ({meta['task']['data']}): whole test split {correct.mean() * 100:.2f} % in PyTorch float32, "
          f"{correct64.mean() * 100:.2f} % in float64 " + (f"(TextDistill printed {reported[0]:.2f})" if reported else "(no result recorded: a checkpoint)"))
    p5, p50, p95 = np.percentile(draws, [5, 50, 95])
    print(f"  one random batch of {a.batch}: {draws.mean():.2f} ± {draws.std():.2f} % (5/50/95th percentile {p5:.2f}/{p50:.2f}/{p95:.2f}), "
          f"P(≥ {a.at:g} %) = {(draws >= a.at).mean():.4f}; best of {a.best} draws: {best.mean():.2f} ± {best.std():.2f} %")
    if reported:
        finals.append(correct.mean() * 100)
        at_epoch += [h['accuracy'] * 100 for h in meta['history'] if h['epoch'] + 1 == a.at_epoch and h.get('accuracy') is not None]

mean_sd = lambda v: f'{np.mean(v):.2f} ± {np.std(v, ddof=1):.2f} %'
if len(finals) > 1:
    print(f'{len(finals)} sets: whole test split {mean_sd(finals)}' + (f'; at epoch {a.at_epoch} {mean_sd(at_epoch)} ({len(at_epoch)} sets)' if len(at_epoch) > 1 else ''))
if len(finals) > 1 and len(reference_last) > 1:
    se = np.sqrt(np.var(finals, ddof=1) / len(finals) + np.var(reference_last, ddof=1) / len(reference_last))
    print(f'reference log, last evaluation of {len(reference_last)} runs: {mean_sd(reference_last)}; '
          f'difference {np.mean(reference_last) - np.mean(finals):.2f} points, standard error {se:.2f} (Welch)')
