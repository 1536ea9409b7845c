#!/usr/bin/env python3
"""Writes the PyTorch golden fixtures of Tests/DistillationTests/Golden (float64 safetensors).

One distillation iteration for a tiny TextCNN and a tiny Bi-LSTM, and three iterations with
Adam steps for LeNet at MNIST's shapes, exactly as the reference
(and ../shared/bench/torch_dd.py) computes it: fixed init w0, T = 2 inner SGD steps on the
same distilled step (S = 1, E = 2) with the raw soft-label loss and eta_t = softplus(rho_t),
each step differentiated with create_graph; then hard-label cross-entropy on a real batch
(eval mode) and its gradient with respect to the distilled inputs X, the raw labels Y and the
raw rates rho. Dropout is 0 so no random mask has to be shared. PyTorch is an outside oracle
only. Usage: /tmp/torchenv/bin/python Scripts/make-golden-distillation.py Tests/DistillationTests/Golden
"""
import math, os, sys
import torch, torch.nn as nn, torch.nn.functional as F
from torch.func import functional_call
from safetensors.torch import save_file

torch.manual_seed(7)
torch.set_default_dtype(torch.float64)
OUT = sys.argv[1] if len(sys.argv) > 1 else "Tests/DistillationTests/Golden"


class TextCNN(nn.Module):
    def __init__(self, dim, ncls, nf, sizes):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv2d(1, nf, (k, dim)) for k in sizes])
        self.fc = nn.Linear(nf * len(sizes), ncls)

    def forward(self, x):
        x = x.unsqueeze(1)
        return self.fc(torch.cat([F.relu(c(x)).squeeze(3).max(dim=2).values for c in self.convs], 1))


class BiLSTM(nn.Module):
    def __init__(self, dim, ncls, hidden, layers):
        super().__init__()
        self.rnn = nn.LSTM(dim, hidden, num_layers=layers, bidirectional=True, batch_first=True)
        self.fc = nn.Linear(2 * hidden, ncls)

    def forward(self, x):
        _, (h, _) = self.rnn(x)
        return self.fc(torch.cat([h[-2], h[-1]], 1))


def outer_loss(model, w0, X, Y, rho, xr, yr):
    """The reference's iteration: len(rho) plain SGD steps on (X, Y) with the raw soft-label
    loss, each differentiated with create_graph, then hard-label cross-entropy on (xr, yr)."""
    w = dict(w0)
    lrs = F.softplus(rho)
    for t in range(len(rho)):
        out = functional_call(model, w, (X,))
        loss = (-(F.log_softmax(out, 1) * Y).sum(1)).mean()
        g = torch.autograd.grad(loss, list(w.values()), create_graph=True)
        w = {k: v - lrs[t] * gi for (k, v), gi in zip(w.items(), g)}
    return F.cross_entropy(functional_call(model, w, (xr,)), yr)


def golden(name, model, length, dim, ncls=3, n=3, real=8):
    w0 = {}
    for k, p in model.named_parameters():
        w0[k] = (torch.randn_like(p) * (0.5 if p.dim() >= 2 else 0.1)).requires_grad_(True)
    X = torch.randn(n, length, dim, requires_grad=True)
    Y = (torch.eye(ncls)[:n] + 0.2 * torch.randn(n, ncls)).requires_grad_(True)
    rho = torch.tensor([math.log(math.expm1(0.3)), math.log(math.expm1(0.2))], requires_grad=True)
    xr = torch.randn(real, length, dim)
    yr = torch.arange(real) % ncls
    L = outer_loss(model, w0, X, Y, rho, xr, yr)
    gX, gY, grho = torch.autograd.grad(L, [X, Y, rho])
    tensors = {"init." + k: v.detach().contiguous() for k, v in w0.items()}
    tensors.update({"X": X.detach(), "Y": Y.detach(), "rho": rho.detach(), "real_x": xr,
                    "real_y": yr.double(), "loss": L.detach().reshape(1), "grad_X": gX, "grad_Y": gY, "grad_rho": grho})
    os.makedirs(OUT, exist_ok=True)
    save_file({k: v.contiguous() for k, v in tensors.items()}, f"{OUT}/{name}.safetensors")
    print(name, "loss", L.item(), "|grad X|", gX.norm().item(), "grad rho", grho.tolist())


golden("textcnn-iteration", TextCNN(dim=4, ncls=3, nf=3, sizes=(2, 3)), length=6, dim=4)
golden("bilstm-iteration", BiLSTM(dim=4, ncls=3, hidden=3, layers=2), length=5, dim=4)


class LeNet(nn.Module):
    def __init__(self, ncls=10):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 6, 5, padding=2), nn.Conv2d(6, 16, 5)
        self.fc1, self.fc2, self.fc3 = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, ncls)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2).flatten(1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


def lenet_iterations(name="lenet-iterations", iters=3, batch=32, ncls=10):
    """Three whole outer iterations at MNIST's real shapes (10 distilled images, S = 1, E = 3,
    real batches of 32, large enough for the batch-parallel convolution paths), each followed
    by torch.optim.Adam(lr 0.01, betas (0.5, 0.999)): the first iteration's gradients and the
    set after all three Adam steps."""
    model = LeNet(ncls)
    w0 = {}
    for k, p in model.named_parameters():
        w0[k] = (nn.init.xavier_normal_(torch.empty_like(p)) if p.dim() >= 2 else 0.05 * torch.randn_like(p)).requires_grad_(True)
    X = torch.randn(ncls, 1, 28, 28, requires_grad=True)
    Y = (torch.eye(ncls) + 0.1 * torch.randn(ncls, ncls)).requires_grad_(True)
    rho = torch.tensor([math.log(math.expm1(r)) for r in (0.05, 0.03, 0.02)], requires_grad=True)
    tensors = {"init." + k: v.detach().clone() for k, v in w0.items()}
    tensors.update({"X": X.detach().clone(), "Y": Y.detach().clone(), "rho": rho.detach().clone()})
    xr = torch.randn(iters * batch, 1, 28, 28)
    yr = torch.randint(0, ncls, (iters * batch,))
    opt = torch.optim.Adam([X, Y, rho], lr=0.01, betas=(0.5, 0.999))
    losses = []
    for i in range(iters):
        L = outer_loss(model, w0, X, Y, rho, xr[i * batch:(i + 1) * batch], yr[i * batch:(i + 1) * batch])
        opt.zero_grad()
        gX, gY, grho = torch.autograd.grad(L, [X, Y, rho])
        if i == 0:
            tensors.update({"grad_X": gX.clone(), "grad_Y": gY.clone(), "grad_rho": grho.clone()})
        X.grad, Y.grad, rho.grad = gX, gY, grho
        opt.step()
        losses.append(L.item())
    tensors.update({"real_x": xr, "real_y": yr.double(), "losses": torch.tensor(losses),
                    "final_X": X.detach(), "final_Y": Y.detach(), "final_rho": rho.detach()})
    save_file({k: v.contiguous() for k, v in tensors.items()}, f"{OUT}/{name}.safetensors")
    print(name, "losses", losses, "final rates", F.softplus(rho).tolist())


lenet_iterations()
