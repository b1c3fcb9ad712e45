"""Training throughput of the PyTorch peer: one line per run, img/s and peak RSS.

    /usr/bin/python3 bench/pytorch/bench_train.py --model mae --batch 512 --steps 10 --warmup 3

Synthetic images in [0, 1] (speed does not depend on the pixels), Adam lr 1e-4, one whole batch
per step (no micro-batches), CPU with 2 intra-op threads.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from models import MAE, ViT  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--model", choices=["mae", "vit"], default="mae")
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    model = MAE(ViT()) if a.model == "mae" else ViT()
    opt = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.9, 0.999), eps=1e-8)
    images = torch.rand(a.batch, 1, 28, 28)
    labels = torch.randint(0, 10, (a.batch,))
    times = []
    for s in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = model(images) if a.model == "mae" else model(images, labels)
        loss.backward()
        opt.step()
        if s >= a.warmup:
            times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(f"pytorch {torch.__version__} model={a.model} batch={a.batch} threads={a.threads} "
          f"median_step_s={median:.3f} img_s={a.batch / median:.1f} ru_maxrss_mib={rss_mib:.0f} "
          f"loss={loss.item():.4f}")


if __name__ == "__main__":
    main()
