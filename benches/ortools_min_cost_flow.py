"""Times OR-tools' SimpleMinCostFlow on a network in the DIMACS min-cost flow format, as
`sufficiency solve MODEL --write-network FILE` writes it. Used by benches/ortools-ratio.sh;
OR-tools is installed there, in a virtual environment, not as a dependency of the project."""

import sys
import time

import numpy as np
from ortools.graph.python import min_cost_flow


def read(path):
    supplies = {}
    tails, heads, caps, costs = [], [], [], []
    nodes = 0
    with open(path) as f:
        for line in f:
            fields = line.split()
            if not fields or fields[0] == "c":
                continue
            if fields[0] == "p":
                nodes = int(fields[2])
            elif fields[0] == "n":
                supplies[int(fields[1]) - 1] = int(fields[2])
            elif fields[0] == "a":
                tails.append(int(fields[1]) - 1)
                heads.append(int(fields[2]) - 1)
                caps.append(int(fields[4]))
                costs.append(int(fields[5]))
    return nodes, supplies, tails, heads, caps, costs


def main():
    for path in sys.argv[1:]:
        nodes, supplies, tails, heads, caps, costs = read(path)
        start = time.perf_counter()
        smcf = min_cost_flow.SimpleMinCostFlow()
        smcf.add_arcs_with_capacity_and_unit_cost(
            np.array(tails, dtype=np.int32),
            np.array(heads, dtype=np.int32),
            np.array(caps, dtype=np.int64),
            np.array(costs, dtype=np.int64),
        )
        for node, supply in supplies.items():
            smcf.set_node_supply(node, supply)
        status = smcf.solve()
        elapsed = time.perf_counter() - start
        if status != smcf.OPTIMAL:
            print(f"{path}: status {status}")
            sys.exit(1)
        print(f"{path}: {nodes} nodes, {len(tails)} arcs: optimum {smcf.optimal_cost()} in {elapsed:.3f} s")


if __name__ == "__main__":
    main()
