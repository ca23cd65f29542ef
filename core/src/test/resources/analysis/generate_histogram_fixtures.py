"""Reference values for the histogram judge's shift test, computed independently of Vigil in plain
Python (no NumPy or SciPy needed).

Run: python3 generate_histogram_fixtures.py   (Python 3.11)
Writes histogram-shift.json next to this script.

Each round's bands are a life table. In band j, with n_c and n_b requests of each version still at
risk and d of them finishing there, the canary's finishes are hypergeometric under the null:
mean d n_c / n, variance d (n_c / n)(n_b / n)(n - d) / (n - 1). The round's log-rank score U sums
mean minus observed over every band but the last (+Inf), V sums the variances; b = U / V estimates
the log hazard ratio with variance 1 / V. Over rounds, b_r ~ N(beta, 1 / V_r + tau^2), tau^2 from
DerSimonian and Laird's moment estimate combined with the prior (tau0 = 0.2, weight 1, discount 0):
tau^2 = (w0 tau0^2 + d tau_hat^2) / (w0 + max(0, d - discount)), d = rounds - 1. The e-value is the
average over the grid beta1 = beta0 + 0.05 * 2^(k/2), k = 0..10, of the product over rounds of the
normal densities' ratio N(b_r; beta1, s_r^2) / N(b_r; beta0, s_r^2), s_r^2 = 1 / V_r + tau^2 (for
either, beta0 - ... below as well, half the weight each side).
"""
import json
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
TAU0, W0, DISCOUNT = 0.2, 1.0, 0.0
GRID = [0.05 * 2 ** (k / 2) for k in range(11)]


def life_table(canary, baseline):
    """U and V by walking the bands from the slowest down: at risk = requests in this band or later."""
    u = v = 0.0
    for j in range(len(canary) - 1):
        nc = sum(canary[j:])
        nb = sum(baseline[j:])
        n = nc + nb
        d = canary[j] + baseline[j]
        if d == 0 or nc == 0 or nb == 0 or n <= 1:
            continue
        expected = d * nc / n
        u += expected - canary[j]
        v += d * (nc / n) * (nb / n) * (n - d) / (n - 1)
    return u, v


def normal_density(x, mean, var):
    return math.exp(-(x - mean) ** 2 / (2 * var)) / math.sqrt(2 * math.pi * var)


def e_value(estimates, variances, direction, tolerance):
    r = len(estimates)
    d = r - 1
    moment = 0.0
    if r >= 2:
        w = [1 / s for s in variances]
        mean = sum(wi * bi for wi, bi in zip(w, estimates)) / sum(w)
        q = sum(wi * (bi - mean) ** 2 for wi, bi in zip(w, estimates))
        moment = max(0.0, (q - d) / (sum(w) - sum(wi * wi for wi in w) / sum(w)))
    tau2 = (W0 * TAU0 ** 2 + d * moment) / (W0 + max(0.0, d - DISCOUNT))
    pairs = []
    up, down = math.log(1 + tolerance), (math.log(1 - tolerance) if tolerance < 1 else None)
    if direction in ("increase", "either"):
        pairs += [(up, up + g) for g in GRID]
    if direction in ("decrease", "either"):
        pairs += [(down, down - g) for g in GRID]
    total = 0.0
    for null0, alt in pairs:
        log_ratio = 0.0
        for b, var in zip(estimates, variances):
            s2 = var + tau2
            log_ratio += math.log(normal_density(b, alt, s2)) - math.log(normal_density(b, null0, s2))
        total += math.exp(log_ratio)
    return total / len(pairs), tau2


def lognormal_bands(rnd, bounds, n, median, sigma):
    counts = [0] * (len(bounds) + 1)
    for _ in range(n):
        x = rnd.lognormvariate(math.log(median), sigma)
        j = 0
        while j < len(bounds) and x > bounds[j]:
            j += 1
        counts[j] += 1
    return counts


cases = []
rnd = random.Random(20261130)
bounds = [0.025, 0.05, 0.1, 0.25, 0.5, 1.0]
for name, slowdown, direction, tolerance, rounds, n in [
        ("healthy-increase", 1.0, "increase", 0.0, 6, 300),
        ("slower-increase", 1.3, "increase", 0.0, 5, 300),
        ("slower-either", 1.3, "either", 0.0, 4, 200),
        ("faster-decrease-tolerance", 0.8, "decrease", 0.1, 4, 200),
        ("slower-tolerance", 1.3, "increase", 0.2, 5, 300)]:
    histogram_rounds = []
    estimates, variances, evalues, taus, scores = [], [], [], [], []
    for r in range(rounds):
        wobble = math.exp(rnd.gauss(0, 0.05))
        canary = lognormal_bands(rnd, bounds, n, 0.1 * slowdown * wobble, 0.5)
        baseline = lognormal_bands(rnd, bounds, n + rnd.randint(-30, 30), 0.1, 0.5)
        histogram_rounds.append(dict(canary=canary, baseline=baseline))
        u, v = life_table(canary, baseline)
        scores.append([u, v])
        estimates.append(u / v)
        variances.append(1 / v)
        e, tau2 = e_value(estimates, variances, direction, tolerance)
        evalues.append(e)
        taus.append(math.sqrt(tau2))
    cases.append(dict(name=name, direction=direction, tolerance=tolerance, bounds=bounds + ["+Inf"],
                      rounds=histogram_rounds, scores=scores, eValues=evalues, wobble=taus))

with open(os.path.join(HERE, "histogram-shift.json"), "w") as f:
    json.dump(dict(source="generate_histogram_fixtures.py: life-table log-rank per round, DerSimonian-Laird "
                          "wobble with the prior, mixture of normal density ratios", cases=cases), f, indent=1)
