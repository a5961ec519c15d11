#!/usr/bin/env python3
"""Loads an autograd lenet5 checkpoint into an equivalent PyTorch nn.Sequential and prints the top-3 classes for one
28x28 uint8 image (raw bytes), to compare with `autograd predict`: equal probabilities show the checkpoint uses PyTorch's
layouts (Conv2d [out, in, kh, kw], Linear [out, in], flatten over (C, H, W)) and the stored normalisation.
Usage: /usr/bin/python3 tools/pytorch_interop.py RUN/best.safetensors image.u8   (needs python3-torch)
"""
import json, struct, sys, numpy as np, torch, torch.nn as nn
path = sys.argv[1]
raw = open(path, 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
header = json.loads(raw[8:8+n]); data = raw[8+n:]
meta = header.pop('__metadata__')
t = {k: torch.from_numpy(np.frombuffer(data[v['data_offsets'][0]:v['data_offsets'][1]], dtype='<f4').reshape(v['shape']).copy()) for k, v in header.items()}
m = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                  nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
names = {0: 'conv1', 3: 'conv2', 7: 'fc1', 9: 'fc2', 11: 'fc3'}
for i, name in names.items():
    m[i].weight.data = t[name + '.weight']; m[i].bias.data = t[name + '.bias']
norm = json.loads(meta['autograd.normalize'])
x = torch.from_numpy(np.fromfile(sys.argv[2], dtype=np.uint8).reshape(1, 1, 28, 28).astype(np.float32) / 255)
x = (x - norm['mean'][0]) / norm['std'][0]
p = torch.softmax(m(x), 1)[0]
top = torch.topk(p, 3)
classes = json.loads(meta['autograd.classes'])
print([(classes[i], round(float(v), 5)) for v, i in zip(top.values, top.indices)])
