#!/usr/bin/env python3
"""Compares a JSON report on stdin with ../shared/worked-example/expected.json.

period, inputs, kpis, cohorts, groups, previous and delta must hold the same keys in the same
order; every number must equal the hand-worked value to a relative 1e-9, and every null must be
null. Prints what differs and exits 1 on a mismatch.

With --deals-only (a run on deals.csv alone): period, inputs.deals and the 23 deal KPIs of SPEC
§3.1 only.
"""
import json
import math
import sys

deals_only = "--deals-only" in sys.argv[2:]
expected = json.load(open(sys.argv[1]))
expected = {k: expected[k] for k in ["period", "inputs", "kpis", "cohorts", "groups", "previous", "delta"]}
if deals_only:
    expected = {"period": expected["period"],
                "inputs": {"deals": expected["inputs"]["deals"]},
                "kpis": dict(list(expected["kpis"].items())[:23])}
actual = json.load(sys.stdin)
problems = []
checked = 0


def compare(path, got, want):
    global checked
    if isinstance(want, dict):
        if not isinstance(got, dict) or list(got) != list(want):
            problems.append(f"{path}: keys {list(got) if isinstance(got, dict) else got} "
                            f"!= expected {list(want)}")
            return
        for key in want:
            compare(f"{path}.{key}", got[key], want[key])
        return
    checked += 1
    if want is None or got is None or isinstance(want, str):
        if got != want:
            problems.append(f"{path}: {got}, expected {want}")
    elif not math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12):
        problems.append(f"{path}: {got}, expected {want}")


if deals_only:
    actual["inputs"] = {"deals": actual["inputs"]["deals"]}
    actual["kpis"] = dict(list(actual["kpis"].items())[:23])
for section in expected:
    compare(section, actual.get(section), expected[section])
for p in problems:
    print(p)
print(f"{checked} values checked, {len(problems)} problems")
sys.exit(1 if problems else 0)
