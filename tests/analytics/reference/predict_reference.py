"""Reference values for the prediction tests, from mpmath at 120 digits (no code shared with
src/analytics). Run: python3 tests/analytics/reference/predict_reference.py  (mpmath 1.3)."""
import mpmath as mp

mp.mp.dps = 120


def alive_expected(r, alpha, a, b, x, T, t):
    """FHL (2005) eq. 10 without the P(alive) factor, straight from 2F1 (a = 1 taken as a limit)."""
    r, alpha, a, b, T, t = map(mp.mpf, (r, alpha, a, b, T, t))
    if a == 1:
        a = 1 + mp.mpf(10) ** -60
    C = a + b + x - 1
    z = t / (alpha + T + t)
    return C / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * mp.hyp2f1(r + x, b + x, C, z))


def p_alive(r, alpha, a, b, x, tx, T):
    r, alpha, a, b, tx, T = map(mp.mpf, (r, alpha, a, b, tx, T))
    if x == 0:
        return mp.mpf(1)
    return 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x))


print("special functions")
for v in [0.243, 2.5, 1000.5]:
    print(f"  x={v}: lnGamma {mp.nstr(mp.loggamma(v), 17)}  digamma {mp.nstr(mp.digamma(v), 17)}  trigamma {mp.nstr(mp.psi(1, v), 17)}")
print("  2F1(0.5, 1.5; 3.2; 0.95) =", mp.nstr(mp.hyp2f1(0.5, 1.5, 3.2, 0.95), 17))

print("alive expected purchases (r, alpha, a, b, x, T, t) -> M")
cases = [
    (0.243, 4.414, 0.793, 2.426, 0, 38.86, 39),       # series (z = 0.50)
    (0.243, 4.414, 0.793, 2.426, 2, 38.86, 39),
    (0.243, 4.414, 0.793, 2.426, 0, 0, 39),           # Cephes 2F1 (z = 0.90)
    (0.243, 4.414, 0.793, 2.426, 1000, 100, 39),      # huge x
    (0.243, 4.414, 0.793, 2.426, 10, 5, 1e5),         # z within 1e-4 of 1
    (0.243, 4.414, 0.793, 2.426, 50, 20, 0.001),      # tiny horizon
    (0.05, 0.01, 1.0, 0.3, 0, 0, 39),                 # a = 1 exactly: the integral
    (0.05, 0.01, 1.0, 0.3, 0, 0, 1e6),                # a = 1, z within 1e-8 of 1
    (0.05, 0.01, 1.0, 0.3, 1000, 100, 39),
    (0.05, 0.01, 1.0, 0.3, 3, 0.5, 2),
    (0.5, 2.0, 0.999995, 1.5, 0, 0, 39),              # a within 1e-5 of 1
    (0.5, 2.0, 0.999995, 1.5, 10, 5, 1e5),
    (0.3, 1.0, 1.00002, 0.4, 1000, 100, 39),
    (3.0, 50.0, 5.0, 30.0, 10, 5, 1e5),               # large a and b
    (1.2, 0.5, 0.2, 0.1, 0, 0, 1e6),                  # a + b - 1 < 0
    (1.2, 0.5, 0.2, 0.1, 3, 0.5, 2),
    (0.5, 10.0, 1e5, 2.0, 0, 0, 10),                  # enormous a: the series would need 1e5 terms
    (0.5, 10.0, 1e5, 2.0, 3, 20, 100),
    (11.1, 0.04, 198.6, 4622.0, 100, 0, 324),         # Cephes' 2F1 overflows: the Beta mixture
    (0.57, 0.083, 0.738, 1078.7, 2, 5, 13291),
    (6.8, 0.022, 17.3, 9462.0, 0, 0, 190358),
    (0.65, 0.18, 1284.7, 0.07, 1000, 0, 3.85),
    (19.7, 0.38, 0.9999999, 0.84, 1000, 0, 37872),
]
for c in cases:
    print(f"  {c} -> {mp.nstr(alive_expected(*c), 17)}")

print("P(alive) with the CDNOW estimates")
cdnow = (0.243, 4.414, 0.793, 2.426)
for x, tx, T in [(2, 30.43, 38.86), (1, 1.71, 38.86), (5, 10, 38.86), (1000, 10, 100)]:
    print(f"  x={x} tx={tx} T={T}: {mp.nstr(p_alive(*cdnow, x, tx, T), 17)}")

print("discounted CLV: x=4, tx=200, T=300 days; r=0.8, alpha=60, a=0.6, b=2.4; spend 50, margin 0.4, 10%/year")
params = (0.8, 60, 0.6, 2.4)
pa = p_alive(*params, 4, 200, 300)
cum = [pa * alive_expected(*params, 4, 300, mp.mpf(i) * 365 / 12) if i else mp.mpf(0) for i in range(13)]
clv = sum((cum[i] - cum[i - 1]) * 50 * mp.mpf("0.4") / mp.mpf("1.1") ** (mp.mpf(i) / 12) for i in range(1, 13))
print("  P(alive) =", mp.nstr(pa, 17))
print("  E[Y(90)] =", mp.nstr(pa * alive_expected(*params, 4, 300, 90), 17))
print("  E[Y(t_i)] =", [mp.nstr(v, 12) for v in cum[1:]])
print("  CLV =", mp.nstr(clv, 17))
