"""What the PyTorch-side scripts (compare-trajectory.py, test-batch-spread.py) share about
TextDistill artifacts: the JSON metadata, and LeNet's stored init as torch_dd.py names it."""
import json
import torch
from safetensors import safe_open

def metadata(path):
    """The artifact's JSON metadata (task, model, settings, history, results)."""
    with safe_open(path, 'np') as f:
        return json.loads(f.metadata()['textdistill'])

# TextDistill's LeNet layer names and torch_dd.py's, in the same order.
OURS, THEIRS = ['conv1', 'conv2', 'fc1', 'fc2', 'fc3'], ['c1', 'c2', 'f1', 'f2', 'f3']

def lenet_init(model, tensors, dtype):
    """The stored init ('init.conv1.weight', …) of `tensors` as torch_dd.py's LeNet parameter dict."""
    def stored(name):
        layer, kind = name.split('.')
        return torch.tensor(tensors[f'init.{OURS[THEIRS.index(layer)]}.{kind}'], dtype=dtype)
    return {n: stored(n) for n, _ in model.named_parameters()}
