#!/usr/bin/env bash
# Training throughput and peak memory of vitmae against its PyTorch peer (bench/pytorch), back to
# back in one run, the same environment for both. A benchmark, not a test: CI does not run it.
#
#   bench/side-by-side.sh                      # reference MAE at batch 64, 256, 512
#   MODELS="mae vit" STEPS=20 bench/side-by-side.sh
#   PROFILE=1 bench/side-by-side.sh            # also vitmae's per-op profile at the largest batch
#   ENGINES="ort samediff" bench/side-by-side.sh   # vitmae's training engines, each beside the same PyTorch run
#   BATCHES=512 MICRO_BATCHES="0 128" bench/side-by-side.sh   # whole batch and micro-batches
#
# Environment: BATCHES (64 256 512), STEPS (10), WARMUP (3), MODELS (mae), ENGINES (ort), PROFILE (0),
# MICRO_BATCH (vitmae's --micro-batch; empty = its default), MICRO_BATCHES (several, each beside the
# same PyTorch run: "0 128"; 0 is the whole batch), VITMAE_CLI_DIR (a folder holding
# another build's vitmae-cli jar and lib/, default cli/target), BUILD (1: package the CLI when its jar
# is missing or stale; never `mvn install`), VITMAE_HEAP/VITMAE_OFFHEAP/VITMAE_MAXRSS as ./vitmae.
# Needs Java 17 + Maven, /usr/bin/python3 with Debian's python3-torch, /usr/bin/time, and an
# optimized BLAS for PyTorch: Debian's torch calls the system libblas.so.3, by default the
# reference BLAS (~3 GFLOP/s); `apt-get install libopenblas0-openmp` and this script points the
# PyTorch process at it (without changing the system's alternative).
# Each configuration runs in its own process, so each peak RSS ("Maximum resident set size" from
# /usr/bin/time, measured the same way for both) belongs to one batch size.
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
batches=(${BATCHES:-64 256 512})
models=(${MODELS:-mae})
engines=(${ENGINES:-ort})
micros=(${MICRO_BATCHES:-${MICRO_BATCH:-default}})  # each beside the same PyTorch run
steps="${STEPS:-10}"
warmup="${WARMUP:-3}"
cli="${VITMAE_CLI_DIR:-cli/target}"  # another build's jar + lib/ to compare builds
jar="$cli/vitmae-cli-0.1.0-SNAPSHOT.jar"

# The launcher's choices (./vitmae), applied to both processes.
if [[ -z "${OPENBLAS_CORETYPE:-}" ]]; then
    flags=" $(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | cut -d: -f2 || true) "
    if [[ "$flags" == *" avx512f "* ]]; then export OPENBLAS_CORETYPE=SkylakeX
    elif [[ "$flags" == *" avx2 "* ]]; then export OPENBLAS_CORETYPE=Haswell; fi
fi
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

torch_blas=""
for d in /usr/lib/x86_64-linux-gnu/openblas-openmp /usr/lib/x86_64-linux-gnu/openblas-pthread; do
    if [[ -f "$d/libblas.so.3" ]]; then torch_blas="$d"; break; fi
done

# Package the CLI (never `mvn install`) when it is missing or older than any source or pom.
stale() {
    [[ ! -f "$jar" || ! -d "$cli/lib" ]] && return 0
    [[ "$cli" == cli/target && -n "$(find pom.xml ./*/pom.xml ./*/src -newer "$jar" -print -quit 2>/dev/null)" ]]
}
if stale; then
    if [[ "${BUILD:-1}" != 1 || "$cli" != cli/target ]]; then echo "missing or stale: $jar" >&2; exit 1; fi
    echo "packaging the CLI (mvn package, no install)…" >&2
    rm -rf cli/target/lib
    nice mvn -B -q -pl cli -am package -DskipTests >&2
    touch "$jar"
fi

# Peak RSS in MiB from a /usr/bin/time -v log.
peak_mib() { awk -F': ' '/Maximum resident set size/ {printf "%d", $2 / 1024}' "$1"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "# side-by-side training benchmark"
if [[ "$cli" == cli/target ]]; then
    build="commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . || echo ' + local changes')"
else
    build="the build in $cli (not this checkout)"
fi
echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); vitmae: $build"
echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load at start: $(load)"
echo "- OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)} OMP_WAIT_POLICY=$OMP_WAIT_POLICY OMP_NUM_THREADS=${OMP_NUM_THREADS:-(unset)}"
echo "- PyTorch BLAS: ${torch_blas:-system libblas.so.3 (install libopenblas0-openmp!)}; $(/usr/bin/python3 -c 'import torch; print("torch", torch.__version__)')"
echo "- java: $(java -version 2>&1 | head -1); vitmae micro-batch: ${micros[*]} (default: 128; 0: the whole batch)"
echo "- steps $steps after $warmup warm-up steps, median step; each configuration in its own process"
echo

rows=()
for model in "${models[@]}"; do
    for b in "${batches[@]}"; do
        l0="$(load)"
        LD_LIBRARY_PATH="${torch_blas}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" /usr/bin/time -v -o "$tmp/pt.time" \
            /usr/bin/python3 bench/pytorch/bench_train.py --model "$model" --batch "$b" \
            --steps "$steps" --warmup "$warmup" > "$tmp/pt.out"
        cat "$tmp/pt.out"
        pt_ips="$(sed -n 's/.* img_s=\([0-9.]*\).*/\1/p' "$tmp/pt.out")"
        pt_rss="$(peak_mib "$tmp/pt.time")"

        for engine in "${engines[@]}"; do
        for micro in "${micros[@]}"; do
        args=(bench train --model "$model" --engine "$engine" --batches "$b" --steps "$steps" --warmup "$warmup")
        label="$engine, default micro-batch"
        if [[ "$micro" != default ]]; then args+=(--micro-batch "$micro"); label="$engine, micro-batch $micro"; fi
        [[ "$micro" == 0 ]] && label="$engine, whole batch"
        [[ "${PROFILE:-0}" == 1 && "$b" == "${batches[-1]}" ]] && args+=(--profile)
        /usr/bin/time -v -o "$tmp/vm.time" java "-Xmx${VITMAE_HEAP:-4g}" \
            "-Dorg.bytedeco.javacpp.maxbytes=${VITMAE_OFFHEAP:-12G}" \
            "-Dorg.bytedeco.javacpp.maxphysicalbytes=${VITMAE_MAXRSS:-16G}" -Djava.awt.headless=true \
            -cp "$jar:$cli/lib/*" dev.vitmae.cli.Main "${args[@]}" > "$tmp/vm.out" 2> "$tmp/vm.err" \
            || { cat "$tmp/vm.err" >&2; exit 1; }
        grep -E '^\| [0-9]+ \|' "$tmp/vm.out" | sed "s/^/vitmae $model $label: /"
        grep -E '^- batch [0-9]+: ' "$tmp/vm.out" | sed "s/^- /vitmae $model $label engine at /"
        if [[ "${PROFILE:-0}" == 1 && "$b" == "${batches[-1]}" ]]; then
            sed -n '/^Per-op profile/,/^Peak RSS/p' "$tmp/vm.out" | grep -v '^Peak RSS'
        fi
        vm_ips="$(grep -E "^\| $b \|" "$tmp/vm.out" | head -1 | awk -F'|' '{gsub(/ /, "", $4); print $4}')"
        vm_rss="$(peak_mib "$tmp/vm.time")"
        rows+=("$(awk -v m="$model" -v e="$label" -v b="$b" -v pi="$pt_ips" -v vi="$vm_ips" -v pr="$pt_rss" \
            -v vr="$vm_rss" -v l="$l0 → $(load)" 'BEGIN { printf "| %s | %s | %d | %.1f | %.1f | **%.2f×** | %d | %d | %.2f× | %s |", m, e, b, pi, vi, vi / pi, pr, vr, vr / pr, l }')")
        done
        done
    done
done

echo
echo "| model | vitmae engine | batch | PyTorch img/s | vitmae img/s | vitmae / PyTorch | PyTorch peak RSS (MiB) | vitmae peak RSS (MiB) | RSS vitmae / PyTorch | load (1, 5, 15 min) before → after |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
printf '%s\n' "${rows[@]}"
