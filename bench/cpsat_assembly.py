#!/usr/bin/env python3
"""Solves an assembly instance written by `AssayBench --assembly-only --instance FILE` with
OR-Tools CP-SAT, as an independent reference for Assay's assembler.

    python3 bench/cpsat_assembly.py INSTANCE.json [--seconds 60] [--workers 2]

Same model: one boolean per (item, form); each item on at most `capacity` forms; exact section
counts; every row (职业功能 points, 鉴定点 items, band items) within its bounds on every form; at
most one item of an enemy group per form; each form's mean difficulty within max_deviation of the
target; minimise Σ over forms of |Σ difficulty − target × items| (difficulties scaled by 1000).
Prints one JSON object: status, objective, bound, first_feasible_s, wall_s.
"""
import argparse
import json
import sys
import time

try:
    from ortools.sat.python import cp_model
except ImportError:  # pragma: no cover - reported, not fatal
    print(json.dumps({"status": "ortools not installed"}))
    sys.exit(0)

SCALE = 1000


class FirstSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self, start):
        super().__init__()
        self.start = start
        self.first = None

    def on_solution_callback(self):
        if self.first is None:
            self.first = time.monotonic() - self.start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("instance")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    data = json.load(open(args.instance, encoding="utf-8"))
    forms, items = data["forms"], len(data["itemIDs"])
    model = cp_model.CpModel()
    x = [[model.NewBoolVar(f"x{i}_{f}") for f in range(forms)] for i in range(items)]
    for i in range(items):
        model.Add(sum(x[i]) <= data["capacity"][i])
    by_section = {}
    for i, s in enumerate(data["section"]):
        by_section.setdefault(s, []).append(i)
    members = {}
    for i in range(items):
        for key in ("weightRow", "coverageRow", "bandRow"):
            row = data[key][i]
            if row >= 0:
                members.setdefault(row, []).append(i)
    if data.get("totalRow") is not None:
        members[data["totalRow"]] = list(range(items))
    time_row = data.get("timeRow")
    minutes = [round(m) for m in data.get("minutes", [0] * items)]
    enemies = {}
    for i, group in enumerate(data["enemy"]):
        if group >= 0:
            enemies.setdefault(group, []).append(i)
    points = [round(p * 100) for p in data["points"]]
    difficulty = [round(d * SCALE) for d in data["difficulty"]]
    n = sum(data["sectionCounts"])
    target = round(data["difficultyTarget"] * SCALE * n)
    deviations = []
    for f in range(forms):
        for s, count in enumerate(data["sectionCounts"]):
            model.Add(sum(x[i][f] for i in by_section.get(s, [])) == count)
        for r, row in enumerate(data["rows"]):
            weighted = row["kind"] in ("weight", "total")
            if r == time_row:
                model.Add(sum(minutes[i] * x[i][f] for i in range(items)) <= round(row["upper"]))
                continue
            expr = sum((points[i] if weighted else 1) * x[i][f] for i in members.get(r, []))
            scale = 100 if weighted else 1
            lower = round(row["lower"] * scale)
            if lower > 0:
                model.Add(expr >= lower)
            if row.get("upper") is not None:
                model.Add(expr <= round(row["upper"] * scale))
        for group in enemies.values():
            model.Add(sum(x[i][f] for i in group) <= 1)
        total = sum(difficulty[i] * x[i][f] for i in range(items))
        deviation = model.NewIntVar(0, SCALE * n, f"dev{f}")
        model.Add(deviation >= total - target)
        model.Add(deviation >= target - total)
        if data.get("maxDeviation") is not None:
            model.Add(deviation <= round(data["maxDeviation"] * SCALE * n))
        deviations.append(deviation)
    model.Minimize(sum(deviations))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = args.seconds
    solver.parameters.num_workers = args.workers
    start = time.monotonic()
    callback = FirstSolution(start)
    status = solver.Solve(model, callback)
    wall = time.monotonic() - start
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    print(json.dumps({
        "status": solver.StatusName(status),
        "objective": solver.ObjectiveValue() / SCALE if found else None,
        "bound": solver.BestObjectiveBound() / SCALE if found else None,
        "first_feasible_s": callback.first,
        "wall_s": wall,
    }))


if __name__ == "__main__":
    main()
