#!/usr/bin/env bash
# What published ViT shapes cost on this machine (issue 22, docs/BENCHMARKS.md "Published ViT
# shapes"): serving the encoder on ONNX Runtime at batch 1 and 64, and fine-tuning the classifier on
# each training engine, for ViT-Tiny, -Small and -Base (timm's shapes: patch 16, depth 12, random
# weights) at 64 and 224 pixels. One process per row, so each peak RSS is that row's own.
# Run it on a quiet machine (9 minutes on 2 quiet cores, 2026-12-07). Reports go to $OUT (runs/pretrained-costs).
#   SHAPES="tiny small base" SIZES="64 224" ENGINES="ort samediff" bench/pretrained-costs.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${OUT:-runs/pretrained-costs}
mkdir -p "$out"
for shape in ${SHAPES:-tiny small base}; do
  for size in ${SIZES:-64 224}; do
    # Fewer repetitions where one run takes seconds.
    if [[ $size -ge 160 ]]; then iters=3; batch=8; else iters=10; batch=64; fi
    ./vitmae bench infer --vit "$shape" --image-size "$size" --no-samediff --models encoder \
      --batches 1,64 --threads 0 --opt all --memory-pattern off --inputs direct \
      --warmup 1 --iters "$iters" --out "$out/infer-$shape-$size.md" > /dev/null
    for engine in ${ENGINES:-ort samediff}; do
      ./vitmae bench train --vit "$shape" --image-size "$size" --engine "$engine" \
        --batches "$batch" --steps 3 --warmup 1 --out "$out/train-$engine-$shape-$size.md" > /dev/null
    done
    echo "$shape $size done"
  done
done
# What the table in docs/BENCHMARKS.md needs, one block per report.
for f in "$out"/infer-*.md "$out"/train-*.md; do
  echo "== $f"
  grep -E '^- model:|^\| encoder .*direct|^\| [0-9]|^Peak RSS of this process' "$f" || true
done
