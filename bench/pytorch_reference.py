#!/usr/bin/env python3
"""The `autograd bench` workloads in PyTorch, for a side-by-side comparison.

Training steps (forward, cross-entropy, backward, SGD with momentum 0.9) on synthetic float32 inputs,
median ms/step after warm-up, one JSON object per line with the same keys as `autograd bench --json`.
Usage: pytorch_reference.py [--threads N] [--steps N] [--warmup N] [--model NAME]
"""
import argparse
import json
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


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--model", choices=sorted(WORKLOADS))
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    for name in [a.model] if a.model else WORKLOADS:
        print(json.dumps(run(name, a.steps, a.warmup)), flush=True)


if __name__ == "__main__":
    main()
