#!/usr/bin/env python3
"""Runs the PyTorch reference's outer loop (../shared/bench/torch_dd.py) for one epoch of MNIST
LeNet distillation from TextDistill's initial state, in TextDistill's batch order (its
xoshiro256** streams, ported below), and compares the set with TextDistill's after the same
59 iterations: a check that the two are the same algorithm over many iterations on real data,
beyond the goldens' few iterations on random data. PyTorch is an outside oracle only.

Usage (needs data/mnist from Scripts/fetch-corpora and a Python with torch and safetensors):
  common="--data mnist --model lenet --distill-epochs 3 --distill-lr 0.01 --lr 0.01 --init fixed \
          --no-baselines --no-full-data --test-nets 1"
  textdistill distill $common --epochs 0 --output e0.safetensors
  textdistill distill $common --epochs 1 --output e1.safetensors
  python Scripts/compare-trajectory.py e0.safetensors e1.safetensors [64]   # 64: PyTorch in float64
"""
import math, os, sys
import torch, torch.nn.functional as F
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
from torch.func import functional_call
from safetensors.numpy import load_file
M = (1 << 64) - 1
class Rng:
    def __init__(self, seed, stream=()):
        self._seed(seed)
        for part in stream:
            self._seed(self.next() ^ ((part * 0x9E3779B97F4A7C15) & M))
    def _seed(self, seed):
        x = seed
        s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & M
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
            s.append(z ^ (z >> 31))
        self.s = s
    def next(self):
        s = self.s
        r = (((s[1] * 5) & M) << 7 | ((s[1] * 5) & M) >> 57) & M
        r = (r * 9) & M
        t = (s[1] << 17) & M
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t
        s[3] = ((s[3] << 45) | (s[3] >> 19)) & M
        return r
    def permutation(self, n):
        p = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.next() % (i + 1)
            p[i], p[j] = p[j], p[i]
        return p
dtype = torch.float64 if len(sys.argv) > 3 and sys.argv[3] == '64' else torch.float32
e0, e1 = load_file(sys.argv[1]), load_file(sys.argv[2])
R.DATA = os.path.join(ROOT, 'data')
(Xtr, ytr), test, ncls = R.load_idx('mnist')
Xtr = Xtr.to(dtype)
model = R.LeNet(10).to(dtype)
w0 = {n: w.requires_grad_(True) for n, w in lenet_init(model, e0, dtype).items()}
X = torch.tensor(e0['inputs.0'], dtype=dtype, requires_grad=True)
Y = torch.tensor(e0['labels.0'], dtype=dtype, requires_grad=True)
rho = torch.tensor(e0['raw_learning_rates'], dtype=dtype, requires_grad=True)
opt = torch.optim.Adam([X, Y, rho], lr=0.01, betas=(0.5, 0.999))
perm = Rng(1, [0xE0C, 0]).permutation(len(ytr))
losses = []
for b in range(math.ceil(len(ytr) / 1024)):
    idx = torch.tensor(perm[b * 1024:(b + 1) * 1024])
    lrs = F.softplus(rho)
    w = R.unroll(model, w0, [(X, Y, lrs[t]) for t in range(3)], 10, True)
    L = R.hard_loss(functional_call(model, w, (Xtr[idx],)), ytr[idx], 10)
    opt.zero_grad(); L.backward(); opt.step()
    losses.append((L.item(), len(idx)))
mean = sum(l * n for l, n in losses) / len(ytr)
print('epoch mean loss: torch', mean, 'textdistill', metadata(sys.argv[2])['history'][0]['loss'])
for k, v in [('inputs.0', X), ('labels.0', Y), ('raw_learning_rates', rho)]:
    a = torch.tensor(e1[k], dtype=torch.float64); t = v.detach().double()
    print(k, 'relative difference', ((a - t).norm() / t.norm()).item(), '| start-to-end change', ((t - torch.tensor(e0[k], dtype=torch.float64)).norm() / t.norm()).item())
print('rates torch', F.softplus(rho).tolist(), 'textdistill', e1['learning_rates'].tolist())
