#!/usr/bin/env bash
# GPU throughput, ours against PyTorch in one run, on an NVIDIA machine: our trainer
# (bench/train-throughput/ours.ts: forward, backward, clipping, AdamW) on webgpu through Dawn's
# Vulkan backend, then the PyTorch reference (bench/gpu/torch_cuda.py) on CUDA, on the same
# model, batch and sequence length; prints tokens/s of each and the ratio.
# Needs .gpu/ from bench/gpu/prepare.sh (or a checkout with node_modules and a Node on PATH).
# Brings the Vulkan loader if `ldconfig -p` lacks it (unpacks .gpu/debs), and points Vulkan at
# the NVIDIA driver's ICD when the container mounts it under /usr/local/nvidia.
# Usage: bash bench/gpu/run.sh [medium|small|large] [steps]   (default medium, 10 timed steps)
#   ALLOW_SOFTWARE=1 lets it run on a software adapter (a check of the script on lavapipe, not a figure);
#   PYTHON=/usr/bin/python3 picks the Python with PyTorch; WARMUP=3 untimed steps first.
set -uo pipefail
cd "$(dirname "$0")/../.."
G=.gpu
case "${1:-medium}" in
  small) CONFIG="--vocab 1024 --embd 128 --layers 4 --heads 4 --seq 128 --batch 16" ;;
  medium) CONFIG="--vocab 8192 --embd 512 --layers 8 --heads 8 --seq 512 --batch 16" ;;
  large) CONFIG="--vocab 16384 --embd 768 --layers 12 --heads 12 --seq 1024 --batch 8" ;;
  *) echo "unknown config $1 (small, medium, large)"; exit 2 ;;
esac
STEPS=${2:-10}
WARMUP=${WARMUP:-3}
PYTHON=${PYTHON:-python3} # the Python that has PyTorch

if ! ldconfig -p | grep -q 'libvulkan.so.1'; then
  echo "== no Vulkan loader: unpacking $G/debs"
  for f in "$G"/debs/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ]; then
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
fi
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader

if [ -f "$G/ours.mjs" ]; then
  NODE=$(command -v node || true)
  if [ -z "$NODE" ]; then
    "$PYTHON" -c "import lzma,shutil;shutil.copyfileobj(lzma.open('$G/node.xz'),open('/tmp/node','wb'))" && chmod +x /tmp/node
    NODE=/tmp/node
  fi
  OURS=("$NODE" "$G/ours.mjs")
else
  OURS=(npx tsx --conditions=@llm/source bench/train-throughput/ours.ts)
fi

echo "== ours (webgpu), $1: $CONFIG"
ours=$("${OURS[@]}" $CONFIG --backend webgpu --steps "$STEPS" --warmup "$WARMUP" 2>/tmp/ours.err | tail -1)
grep -v "artificially reduced" /tmp/ours.err | tail -20
echo "$ours"
case "$ours" in
  *'"adapter":"webgpu on GPU'*) ;;
  *'software adapter'*) if [ "${ALLOW_SOFTWARE:-0}" != 1 ]; then echo "ours ran on a software adapter, not a GPU: no figure"; exit 1; fi ;;
  *) echo "ours did not run on webgpu"; exit 1 ;;
esac

DEVICE=cuda
if [ "${ALLOW_SOFTWARE:-0}" = 1 ] && ! "$PYTHON" -c "import torch,sys;sys.exit(0 if torch.cuda.is_available() else 1)"; then DEVICE=cpu; fi
echo "== PyTorch ($DEVICE), same config"
torch=$("$PYTHON" bench/gpu/torch_cuda.py $CONFIG --steps "$STEPS" --warmup "$WARMUP" --device "$DEVICE" | tail -1)
echo "$torch"

python3 - "$ours" "$torch" <<'PY'
import json, sys
ours, ref = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"ours   {ours['tokensPerSecond']:>10.0f} tokens/s  {ours['msPerStep']:.1f} ms/step  ({ours.get('adapter', '')})")
print(f"torch  {ref['tokensPerSecond']:>10.0f} tokens/s  {ref['msPerStep']:.1f} ms/step  ({ref['engine']}, {ref['device']}, torch {ref['torch']})")
print(f"ratio ours/torch: {ours['tokensPerSecond'] / ref['tokensPerSecond']:.3f}")
PY
