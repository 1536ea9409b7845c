#!/usr/bin/env python3
"""Writes the PyTorch golden fixtures of Tests/ModelsTests/Golden (float64 safetensors).

For each model: fixed weights and inputs, the logits, and the gradients of sum(logits * R)
(R fixed) with respect to every parameter and to the input. The Swift tests load them and
compare at relative error 1e-9. PyTorch is only an outside oracle here; the product never
uses it. Setup: python3 -m venv /tmp/torchenv && /tmp/torchenv/bin/pip install torch numpy safetensors
Usage: /tmp/torchenv/bin/python Scripts/make-golden-models.py Tests/ModelsTests/Golden
"""
import json, math, os, sys
import torch, torch.nn as nn, torch.nn.functional as F
from safetensors.torch import save_file

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
OUT = sys.argv[1] if len(sys.argv) > 1 else "Tests/ModelsTests/Golden"


class TextCNN(nn.Module):  # Kim CNN, as the reference
    def __init__(self, dim, ncls, nf, sizes):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv2d(1, nf, (k, dim)) for k in sizes])
        self.fc = nn.Linear(nf * len(sizes), 1 if ncls == 2 else ncls)

    def forward(self, x, lengths=None):
        x = x.unsqueeze(1)
        h = [F.relu(c(x)).squeeze(3).max(dim=2).values for c in self.convs]
        return self.fc(torch.cat(h, 1))


class Recurrent(nn.Module):
    def __init__(self, kind, dim, ncls, hidden, layers):
        super().__init__()
        cls = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind]
        self.rnn = cls(dim, hidden, num_layers=layers, bidirectional=True, batch_first=True)
        self.fc = nn.Linear(2 * hidden, 1 if ncls == 2 else ncls)

    def forward(self, x, lengths=None):
        if lengths is not None:
            x = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        _, h = self.rnn(x)
        if isinstance(h, tuple):
            h = h[0]
        return self.fc(torch.cat([h[-2], h[-1]], 1))


class LeNet(nn.Module):
    def __init__(self, ncls=10):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 6, 5, padding=2), nn.Conv2d(6, 16, 5)
        self.fc1, self.fc2, self.fc3 = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, ncls)

    def forward(self, x, lengths=None):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2).flatten(1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


def golden(name, model, x, lengths, config):
    for p in model.parameters():  # non-trivial biases too
        with torch.no_grad():
            p.copy_(torch.randn_like(p) * 0.3)
    model.eval()
    x = x.clone().requires_grad_(True)
    out = model(x, lengths)
    r = torch.randn_like(out)
    params = dict(model.named_parameters())
    grads = torch.autograd.grad((out * r).sum(), [x] + list(params.values()))
    tensors = {"input": x.detach(), "output": out.detach(), "seed": r, "grad.input": grads[0]}
    for (n, p), g in zip(params.items(), grads[1:]):
        tensors["param." + n] = p.detach()
        tensors["grad." + n] = g
    if lengths is not None:
        tensors["lengths"] = torch.tensor(lengths, dtype=torch.float64)
    config["parameter_order"] = list(params)
    save_file({k: v.contiguous() for k, v in tensors.items()}, os.path.join(OUT, name + ".safetensors"),
              metadata={"config": json.dumps(config), "torch": torch.__version__})
    print(name, tuple(out.shape))


class AlexCifarNet(nn.Module):  # the reference's cuda-convnet-style AlexNet
    def __init__(self, ncls=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2, 1), nn.LocalResponseNorm(4, 0.001 / 9.0, 0.75, 1),
            nn.Conv2d(64, 64, 5, padding=2), nn.ReLU(), nn.LocalResponseNorm(4, 0.001 / 9.0, 0.75, 1), nn.MaxPool2d(3, 2, 1))
        self.classifier = nn.Sequential(nn.Linear(4096, 384), nn.ReLU(), nn.Linear(384, 192), nn.ReLU(), nn.Linear(192, ncls))

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


def wave(n, a, b, amplitude=1.0):
    """amplitude·sin(a·k + b) for k < n: the same formula in the Swift test."""
    return amplitude * torch.sin(torch.arange(n, dtype=torch.float64) * a + b)


def golden_projected(name, model, in_shape):
    """For a model too large to store: weights, input, seed and directions are formulas; what
    is stored is the logits, the input gradient, and per parameter ⟨∂L/∂w, u⟩ and ⟨Hv, u⟩
    (Hessian-vector product by double backward), u and v formulas too."""
    params = dict(model.named_parameters())
    with torch.no_grad():
        for t, p in enumerate(params.values()):
            p.copy_(wave(p.numel(), 0.731, 0.1 * t, 0.05).view_as(p))
    x = wave(math.prod(in_shape), 0.37, 0.0).view(in_shape).requires_grad_(True)
    out = model(x)
    seed = wave(out.numel(), 0.91, 0.3).view_as(out)
    inputs = [x] + list(params.values())
    grads = torch.autograd.grad((out * seed).sum(), inputs, create_graph=True)
    dirs = [wave(t.numel(), 1.13, 0.5 * i).view_as(t) for i, t in enumerate(inputs)]
    hvp = torch.autograd.grad(sum((g * v).sum() for g, v in zip(grads, dirs)), inputs, allow_unused=True)
    hvp = [torch.zeros_like(t) if h is None else h for h, t in zip(hvp, inputs)]
    us = [wave(t.numel(), 0.513, float(i), 1.0) for i, t in enumerate(inputs)]
    tensors = {"output": out.detach(), "grad.input": grads[0].detach(),
               "grad_projection": torch.stack([(g.detach().flatten() * u).sum() for g, u in zip(grads, us)]),
               "hvp_projection": torch.stack([(h.flatten() * u).sum() for h, u in zip(hvp, us)])}
    save_file(tensors, os.path.join(OUT, name + ".safetensors"),
              metadata={"config": json.dumps({"parameter_order": list(params), "input_shape": list(in_shape)}), "torch": torch.__version__})
    print(name, tuple(out.shape))


os.makedirs(OUT, exist_ok=True)
golden("textcnn", TextCNN(5, 3, 4, (2, 3)), torch.randn(3, 7, 5), None,
       {"dim": 5, "classes": 3, "filters": 4, "widths": [2, 3]})
golden("textcnn-binary", TextCNN(4, 2, 3, (3,)), torch.randn(2, 5, 4), None,
       {"dim": 4, "classes": 2, "filters": 3, "widths": [3]})
for kind in ("rnn", "lstm", "gru"):
    cfg = {"cell": kind, "dim": 3, "classes": 4, "hidden": 5, "layers": 2}
    golden(f"bi{kind}-lengths", Recurrent(kind, 3, 4, 5, 2), torch.randn(3, 6, 3), [6, 2, 4], dict(cfg))
    golden(f"bi{kind}-padding", Recurrent(kind, 3, 4, 5, 2), torch.randn(2, 4, 3), None, dict(cfg))
golden("lenet", LeNet(10), torch.randn(2, 1, 28, 28), None, {"classes": 10})
golden_projected("alexcifarnet-projected", AlexCifarNet(10), (2, 3, 32, 32))
