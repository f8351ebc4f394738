#!/usr/bin/env python3
"""Compares a JSON report on stdin with ../shared/worked-example/expected.json.

Every KPI the report computes (non-null) must equal the hand-worked value to a relative 1e-9;
the deal KPIs of SPEC §3.1 must all be computed. Prints what differs and exits 1 on a mismatch.
"""
import json
import math
import sys

DEAL_KPIS = 23  # the first 23 keys of kpis are SPEC §3.1

expected = json.load(open(sys.argv[1]))
actual = json.load(sys.stdin)
problems = []
if actual["period"] != expected["period"]:
    problems.append(f"period {actual['period']} != {expected['period']}")
if actual["inputs"]["deals"] != expected["inputs"]["deals"]:
    problems.append(f"inputs.deals {actual['inputs']['deals']} != {expected['inputs']['deals']}")
if list(actual["kpis"]) != list(expected["kpis"]):
    problems.append("kpis keys differ from expected.json (names or order)")
checked = 0
for i, (key, want) in enumerate(expected["kpis"].items()):
    got = actual["kpis"].get(key)
    if got is None:
        if i < DEAL_KPIS and want is not None:
            problems.append(f"{key}: null, expected {want}")
        continue
    checked += 1
    same = (want is None and got is None) or (
        want is not None and math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12))
    if not same:
        problems.append(f"{key}: {got}, expected {want}")
for p in problems:
    print(p)
print(f"{checked} KPIs checked, {len(problems)} problems")
sys.exit(1 if problems else 0)
