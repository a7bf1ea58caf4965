"""Independent reference values for tests/analytics/cdnow.test.ts.

A separate implementation of the BG/NBD and Gamma-Gamma likelihoods in Python (scipy.special,
no code shared with src/analytics), maximised with scipy.optimize (Nelder-Mead, then BFGS from
its optimum) and the log-likelihood re-evaluated in mpmath at 30 digits.
Run: python3 tests/analytics/reference/cdnow_reference.py  (scipy 1.17, mpmath 1.3).
"""
import csv
import os
from datetime import date

import mpmath as mp
import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, gammaln

DATA = os.path.join(os.path.dirname(__file__), "../../../../shared/datasets/cdnow/")
END = date(1997, 9, 30)


def summary_from_elog():
    days = {}
    with open(DATA + "cdnowElog.csv") as f:
        for row in csv.DictReader(f):
            d = row["date"]
            day = date(int(d[:4]), int(d[4:6]), int(d[6:]))
            spend = days.setdefault(int(row["sampleid"]), {})
            if day <= END:
                spend[day] = spend.get(day, 0.0) + float(row["sales"])
    out = []
    for cust in sorted(days):
        ds = sorted(days[cust])
        repeat = [days[cust][d] for d in ds[1:]]
        out.append((len(ds) - 1, (ds[-1] - ds[0]).days / 7, (END - ds[0]).days / 7,
                    sum(repeat) / len(repeat) if repeat else 0.0))
    return np.array(out)


def summary_file():
    with open(DATA + "cdnow_customers_summary_with_transactions.csv") as f:
        return np.array([(float(r["x"]), float(r["t_x"]), float(r["T"]), float(r["zbar"]))
                         for r in csv.DictReader(f)])


def bgnbd_ll(params, x, tx, T):
    r, alpha, a, b = params
    A1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    A2 = betaln(a, b + x) - betaln(a, b)
    A3 = -(r + x) * np.log(alpha + T)
    A4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + tx), -np.inf)
    return np.sum(A1 + A2 + np.logaddexp(A3, A4))


def gg_ll(params, x, m):
    p, q, v = params
    return np.sum(gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(v)
                  + (p * x - 1) * np.log(m) + p * x * np.log(x) - (p * x + q) * np.log(x * m + v))


def fit(ll, start, *data):
    f = lambda logp: -ll(np.exp(logp), *data)
    nm = minimize(f, np.log(start), method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-12, "maxiter": 40000})
    bf = minimize(f, nm.x, method="BFGS", options={"gtol": 1e-10})
    best = bf if bf.fun < nm.fun else nm
    return np.exp(best.x), -best.fun


def mp_bgnbd_ll(params, x, tx, T):
    mp.mp.dps = 30
    r, alpha, a, b = map(mp.mpf, params)
    total = mp.mpf(0)
    for xi, txi, Ti in zip(x, tx, T):
        xi, txi, Ti = int(xi), mp.mpf(txi), mp.mpf(Ti)
        term = (alpha + Ti) ** -(r + xi)
        if xi > 0:
            term += a / (b + xi - 1) * (alpha + txi) ** -(r + xi)
        total += mp.loggamma(r + xi) - mp.loggamma(r) + r * mp.log(alpha) + mp.log(mp.beta(a, b + xi) / mp.beta(a, b)) + mp.log(term)
    return total


for name, s in [("elog", summary_from_elog()), ("summary file", summary_file())]:
    x, tx, T, z = s.T
    bg, bg_ll = fit(bgnbd_ll, [1, 1, 1, 1], x, tx, T)
    rep = x > 0
    gg, g_ll = fit(gg_ll, [1, 1, 1], x[rep], z[rep])
    print(name, "BG/NBD r, alpha, a, b =", ", ".join(f"{v:.8g}" for v in bg), f"LL = {bg_ll:.6f}",
          f"(mpmath: {mp.nstr(mp_bgnbd_ll(bg, x, tx, T), 12)})")
    print(name, "Gamma-Gamma p, q, v =", ", ".join(f"{v:.8g}" for v in gg), f"LL = {g_ll:.6f}", f"n = {rep.sum()}")
