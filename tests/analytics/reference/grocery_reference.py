"""Independent BG/NBD fit of the grocery log (tests/analytics/grocery.test.ts), with the same
Python likelihood and scipy optimisation as cdnow_reference.py.
Run: python3 tests/analytics/reference/grocery_reference.py"""
import csv
import os
import sys
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from cdnow_reference import bgnbd_ll, fit  # noqa: E402  (prints the CDNOW references first)


def summary(end):
    days = {}
    with open(os.path.join(os.path.dirname(__file__), "../../../../shared/datasets/grocery-btydplus/groceryElog.csv")) as f:
        for row in csv.DictReader(f):
            day = date.fromisoformat(row["date"])
            if day <= end:
                days.setdefault(row["cust"], set()).add(day)
    out = []
    for ds in days.values():
        ds = sorted(ds)
        out.append((len(ds) - 1, (ds[-1] - ds[0]).days / 7, (end - ds[0]).days / 7))
    return np.array(out)


for end in [date(2006, 12, 31), date(2007, 12, 30)]:
    x, tx, T = summary(end).T
    params, ll = fit(bgnbd_ll, [1, 1, 1, 1], x, tx, T)
    print("grocery through", end, "r, alpha, a, b =", ", ".join(f"{v:.8g}" for v in params), f"LL = {ll:.6f}", f"n = {len(x)}")
