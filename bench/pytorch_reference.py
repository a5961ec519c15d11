#!/usr/bin/env python3
"""The `autograd bench` workloads in PyTorch, for a side-by-side comparison.

Training steps (forward, cross-entropy, backward, SGD with momentum 0.9) on synthetic float32 inputs,
median ms/step after warm-up, one JSON object per line with the same keys as `autograd bench --json`.
Usage: pytorch_reference.py [--threads N] [--steps N] [--warmup N] [--model NAME]
       pytorch_reference.py --data /usr/share/datasets/fashion-mnist [--threads N]   (W5: one lenet5 epoch, loading included)
"""
import argparse
import gzip
import json
import os
import statistics
import sys
import time

try:
    import torch
    import torch.nn as nn
except ImportError:
    sys.exit("PyTorch is not installed (Debian: apt-get install python3-torch; run with /usr/bin/python3)")


def lenet5(c):
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, c))


def two_layer_net(c):
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, c))


def seed_lenet5(c):
    return nn.Sequential(nn.Conv2d(3, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(16 * 61 * 61, 1200), nn.ReLU(), nn.Linear(1200, 840), nn.ReLU(), nn.Linear(840, c))


def seed_lenet5_improved(c):
    return nn.Sequential(nn.Conv2d(3, 6, 3), nn.SiLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 3), nn.SiLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 26, 3), nn.SiLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(26 * 30 * 30, 1200), nn.SiLU(), nn.Linear(1200, 840), nn.SiLU(), nn.Linear(840, c))


WORKLOADS = {  # name: (builder, input shape, classes, batch)
    "lenet5": (lenet5, (1, 28, 28), 10, 64),
    "two-layer-net": (two_layer_net, (1, 28, 28), 10, 64),
    "seed-lenet5": (seed_lenet5, (3, 256, 256), 50, 32),
    "seed-lenet5-improved": (seed_lenet5_improved, (3, 254, 254), 50, 32),
}


def run(name, steps, warmup):
    build, shape, classes, batch = WORKLOADS[name]
    torch.manual_seed(1)
    model = build(classes)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.rand((batch,) + shape) * 2 - 1
    y = torch.randint(0, classes, (batch,))
    loss_fn = nn.CrossEntropyLoss()
    times = []
    for s in range(warmup + steps):
        t = time.perf_counter()
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        if s >= warmup:
            times.append(time.perf_counter() - t)
    ms = statistics.median(times) * 1000
    return {"model": name, "framework": "pytorch " + torch.__version__, "batch": batch, "threads": torch.get_num_threads(),
            "steps": steps, "img_per_s": round(batch / (ms / 1000), 2), "ms_per_step": round(ms, 3)}


def load_idx(folder, prefix):
    """Images (N×1×28×28 float, x/255) and labels from gzipped IDX files, as the AutoGrad loader reads them."""
    with gzip.open(os.path.join(folder, prefix + "-images-idx3-ubyte.gz")) as f:
        raw = f.read()
    n, h, w = int.from_bytes(raw[4:8], "big"), int.from_bytes(raw[8:12], "big"), int.from_bytes(raw[12:16], "big")
    images = torch.frombuffer(bytearray(raw[16:]), dtype=torch.uint8).reshape(n, 1, h, w).float().div_(255)
    with gzip.open(os.path.join(folder, prefix + "-labels-idx1-ubyte.gz")) as f:
        labels = torch.frombuffer(bytearray(f.read()[8:]), dtype=torch.uint8).long()
    return images, labels


def epoch(folder, batch=64):
    """W5: load Fashion-MNIST, normalise with the training split's mean/std, train lenet5 one epoch
    (shuffled, SGD lr 0.05, momentum 0.9, weight decay 5e-4: `autograd train`'s defaults), evaluate on test."""
    t0 = time.perf_counter()
    x, y = load_idx(folder, "train")
    tx, ty = load_idx(folder, "t10k")
    mean, std = x.mean(), x.std()
    x.sub_(mean).div_(std)
    tx.sub_(mean).div_(std)
    load_s = time.perf_counter() - t0
    torch.manual_seed(1)
    model = lenet5(10)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    loss_fn = nn.CrossEntropyLoss()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=batch, shuffle=True)
    t1 = time.perf_counter()
    model.train()
    for xb, yb in loader:
        opt.zero_grad()
        loss_fn(model(xb), yb).backward()
        opt.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(tx), 1000):
            correct += (model(tx[i:i + 1000]).argmax(1) == ty[i:i + 1000]).sum().item()
    epoch_s = time.perf_counter() - t1
    return {"model": "lenet5", "data": "fashion-mnist/train", "framework": "pytorch " + torch.__version__, "batch": batch,
            "threads": torch.get_num_threads(), "train_images": len(x), "load_s": round(load_s, 3), "epoch_s": round(epoch_s, 3),
            "img_per_s": round(len(x) / (load_s + epoch_s), 1), "test_accuracy": round(correct / len(tx), 4)}


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--model", choices=sorted(WORKLOADS))
    p.add_argument("--data", help="folder of Fashion-MNIST IDX files: time one lenet5 epoch (W5) instead")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    if a.data:
        print(json.dumps(epoch(a.data)), flush=True)
        return
    for name in [a.model] if a.model else WORKLOADS:
        print(json.dumps(run(name, a.steps, a.warmup)), flush=True)


if __name__ == "__main__":
    main()
