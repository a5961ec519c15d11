#!/usr/bin/env bash
# Runs `autograd bench` and the PyTorch reference on the same workloads, same thread count, one after the
# other per workload (so both see the same machine state), and prints both with the ratio.
# Usage: bench/compare.sh [threads] [steps]   (W1–W4 on synthetic data; W5 when Fashion-MNIST is installed)
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2}
steps=${2:-30}
warmup=5
dotnet build Cli -c Release -v quiet -nologo >/dev/null
ag="dotnet Cli/bin/Release/net10.0/autograd.dll"
py=/usr/bin/python3
if ! $py -c 'import torch' 2>/dev/null; then
  echo "PyTorch not found for $py (Debian: apt-get install python3-torch libopenblas0-pthread)" >&2
  exit 1
fi
printf '%-22s %12s %12s %8s %10s %14s %10s\n' model autograd_img/s pytorch_img/s ratio GFLOP/s alloc/step_MB peakRSS_MB
for m in lenet5 two-layer-net seed-lenet5 seed-lenet5-improved; do
  a=$($ag bench --model "$m" --threads "$threads" --steps "$steps" --warmup "$warmup" --json)
  p=$($py bench/pytorch_reference.py --model "$m" --threads "$threads" --steps "$steps" --warmup "$warmup")
  $py - "$a" "$p" <<'PY'
import json, sys
a, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"{a['model']:<22} {a['img_per_s']:>12.1f} {p['img_per_s']:>12.1f} {a['img_per_s']/p['img_per_s']:>7.2f}x {a['gflops']:>10.1f} {a['alloc_bytes_per_step']/1e6:>14.2f} {a['peak_rss_mb']:>10.0f}")
PY
done
# W5: one lenet5 epoch on Fashion-MNIST, loading and the test evaluation included (when the dataset is installed).
fm=/usr/share/datasets/fashion-mnist
if [ -f "$fm/train-images-idx3-ubyte.gz" ]; then
  cat "$fm"/*.gz > /dev/null   # both read the files from the page cache, not the first one from disk
  a=$($ag bench --data fashion-mnist --threads "$threads" --json)
  p=$($py bench/pytorch_reference.py --data "$fm" --threads "$threads")
  $py - "$a" "$p" <<'PY'
import json, sys
a, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"{'W5 lenet5 epoch':<22} {a['img_per_s']:>12.1f} {p['img_per_s']:>12.1f} {a['img_per_s']/p['img_per_s']:>7.2f}x"
      f"   load {a['load_s']:.2f} / {p['load_s']:.2f} s, epoch {a['epoch_s']:.2f} / {p['epoch_s']:.2f} s, test acc {a['test_accuracy']:.4f} / {p['test_accuracy']:.4f}")
PY
else
  echo "W5 skipped: $fm not found (apt-get install dataset-fashion-mnist)"
fi
