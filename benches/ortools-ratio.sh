#!/usr/bin/env bash
# The network simplex against OR-tools' SimpleMinCostFlow on the same networks: generated
# models (seed 1) written with `solve --write-network`, each solved whole by both.
#   bash benches/ortools-ratio.sh [borough region england]
# Installs OR-tools with pip into target/ortools-venv (needs python3 with venv and PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-borough region}")
sizes=(${sizes[@]})
cargo build --release --quiet
work=target/ortools-ratio
mkdir -p "$work"
if [ ! -x target/ortools-venv/bin/python ]; then
  python3 -m venv target/ortools-venv
  target/ortools-venv/bin/pip install --quiet ortools numpy
fi
files=()
for size in "${sizes[@]}"; do
  case "$size" in
    borough) l=20; s=60 ;;
    region) l=900; s=800 ;;
    england) l=6800; s=4000 ;;
    *) echo "unknown size $size"; exit 2 ;;
  esac
  target/release/sufficiency generate --localities $l --settings $s --seed 1 --out "$work/$size" --force > /dev/null
  target/release/sufficiency --quiet solve "$work/$size/model.toml" --write-network "$work/$size.dimacs" > /dev/null
  files+=("$work/$size.dimacs")
done
echo "ours (network simplex: whole network, and pricing arcs in):"
cargo bench --quiet --bench min_cost_flow -- "${files[@]}"
echo "OR-tools SimpleMinCostFlow:"
target/ortools-venv/bin/python benches/ortools_min_cost_flow.py "${files[@]}"
