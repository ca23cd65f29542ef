"""Reference values for the canary judges' tests, computed independently of Vigil with SciPy.

Run: python3 generate_fixtures.py   (Python 3.11, NumPy, SciPy 1.17.1)
Writes mann-whitney.json, t-grid-bayes-factor.csv and count-mixture.json next to this script.
"""
import json
import math
import os

import numpy as np
from scipy import integrate, stats

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261126)

# Mann-Whitney U: scipy.stats.mannwhitneyu; U is the statistic of x (the canary).
# A location shift mu is tested as mannwhitneyu(x - mu, y).
cases = []
def mw(name, x, y, alternative, mu, method):
    r = stats.mannwhitneyu(np.asarray(x) - mu, y, alternative=alternative, method=method, use_continuity=True)
    cases.append(dict(name=name, canary=list(map(float, x)), baseline=list(map(float, y)),
                      alternative=alternative, mu=mu, method=method,
                      u=float(r.statistic), p=float(r.pvalue)))

small_c = np.round(rng.normal(110, 10, 10), 3)
small_b = np.round(rng.normal(100, 10, 10), 3)
mw("small-no-ties-greater", small_c, small_b, "greater", 0.0, "exact")
mw("small-no-ties-less", small_c, small_b, "less", 0.0, "exact")
mw("small-no-ties-two-sided", small_c, small_b, "two-sided", 0.0, "exact")
# A shift that creates no ties (mu chosen off the data's grid).
mw("small-shift-greater", small_c, small_b, "greater", 5.0005, "exact")
big_c = np.round(rng.normal(104, 10, 60))  # rounded to integers: ties
big_b = np.round(rng.normal(100, 10, 60))
mw("large-ties-greater", big_c, big_b, "greater", 0.0, "asymptotic")
mw("large-ties-two-sided", big_c, big_b, "two-sided", 0.0, "asymptotic")
mw("large-ties-less", big_c, big_b, "less", 0.0, "asymptotic")
with open(os.path.join(HERE, "mann-whitney.json"), "w") as f:
    json.dump(dict(source="scipy.stats.mannwhitneyu (SciPy 1.17.1), use_continuity=True; shift mu tested as "
                          "mannwhitneyu(canary - mu, baseline)", cases=cases), f, indent=1)

# Sequential t-test Bayes factor against delta = mu/sigma = 0, right-Haar prior on sigma, mixed with
# equal weights over the one-sided grid delta = 2^(k/2), k = -2..6: the noncentral-t likelihood ratio
# scipy.stats.nct.pdf(t, n-1, delta*sqrt(n)) / scipy.stats.t.pdf(t, n-1) at each grid point (not the
# integral over the direction statistic that the judge computes).
grid = [2 ** (k / 2) for k in range(-2, 7)]
rows = []
for n, mean, sd in [(2, 1.0, 1.0), (3, 0.5, 1.0), (5, 2.0, 1.5), (10, 0.3, 1.0), (10, -0.8, 2.0),
                    (25, 0.2, 1.0), (40, 1.0, 3.0), (100, 0.05, 1.0), (6, 12.0, 3.0), (3, 20.0, 1.0),
                    (4, 5.0, 2.0), (150, -0.1, 1.0)]:
    nu = n - 1
    t = mean / (sd / math.sqrt(n))
    log_denom = stats.t.logpdf(t, nu)
    logs = [stats.nct.logpdf(t, nu, d * math.sqrt(n)) - log_denom for d in grid]
    top = max(logs)
    mixture = top + math.log(sum(math.exp(l - top) for l in logs) / len(grid))
    rows.append((n, mean, sd * sd, float(logs[2]), float(mixture)))
with open(os.path.join(HERE, "t-grid-bayes-factor.csv"), "w") as f:
    f.write("# log Bayes factors of the one-sample t-test, right-Haar prior on sigma, delta = 1 and delta on the grid 2^(k/2), k=-2..6;\n")
    f.write("# scipy.stats.nct.logpdf(t, n-1, delta*sqrt(n)) - scipy.stats.t.logpdf(t, n-1), averaged over the grid\n")
    f.write("n,mean,variance,log_bf_delta_1,log_bf_grid\n")
    for row in rows:
        f.write("%d,%r,%r,%r,%r\n" % row)

# Count mixture: e-value = mean over the grid rho1 = rho0 * 2^(k/3), k=1..9, of the product over
# rounds of binom.pmf(x_c; x_c + x_b, q(rho1)) / binom.pmf(x_c; x_c + x_b, q(rho0)),
# q(rho) = n_c rho / (n_c rho + n_b).
rounds = [(3, 500, 2, 510), (5, 480, 1, 495), (0, 505, 0, 500), (7, 520, 3, 515), (0, 0, 2, 400), (6, 490, 2, 500)]
def evalue(rounds, rho0, up=True):
    grid = [rho0 * 2 ** (k / 3) if up else rho0 / 2 ** (k / 3) for k in range(1, 10)]
    total = 0.0
    for r1 in grid:
        lr = 1.0
        for xc, nc, xb, nb in rounds:
            if nc == 0 or nb == 0 or xc + xb == 0:
                continue
            q0 = nc * rho0 / (nc * rho0 + nb)
            q1 = nc * r1 / (nc * r1 + nb)
            lr *= stats.binom.pmf(xc, xc + xb, q1) / stats.binom.pmf(xc, xc + xb, q0)
        total += lr / len(grid)
    return total
with open(os.path.join(HERE, "count-mixture.json"), "w") as f:
    json.dump(dict(source="scipy.stats.binom.pmf ratios averaged over the grid rho0*2^(k/3), k=1..9",
                   rounds=[dict(canaryEvents=a, canaryTrials=b, baselineEvents=c, baselineTrials=d) for a, b, c, d in rounds],
                   cases=[dict(direction="increase", tolerance=0.0, e=evalue(rounds, 1.0)),
                          dict(direction="increase", tolerance=0.2, e=evalue(rounds, 1.2)),
                          dict(direction="decrease", tolerance=0.0, e=evalue(rounds, 1.0, up=False))]), f, indent=1)

# Sequential mean test on several values per version and round (one per instance). Computed the long
# way, independently of the judge's closed form: for each round, the values (baseline multiplied by
# s = 1 + tolerance, or 1 - tolerance for decrease) are projected onto the orthonormal complement of
# the all-ones vector (scipy.linalg.null_space), which removes the round's own level; the projected
# vector z is N(Delta * Q'e_canary, sigma^2 I) with Delta = delta * sigma * sqrt(2) (the effect in
# standard deviations of the difference between one canary value and one baseline value). The Bayes
# factor of delta against 0 is the ratio of integrals over sigma of the normal likelihood with the
# right-Haar prior 1/sigma (scipy.integrate.quad), averaged over the grid delta = 2^(k/2), k = -2..6;
# for "either", the mean of the increase and decrease factors.
from scipy import linalg

def mean_evalue(rounds, tolerance, sign):
    scale = 1 + tolerance if sign > 0 else 1 - tolerance
    zs, dirs = [], []
    for canary, baseline in rounds:
        y = np.concatenate([np.asarray(canary, float), scale * np.asarray(baseline, float)])
        e = np.concatenate([np.ones(len(canary)), np.zeros(len(baseline))])
        q = linalg.null_space(np.ones((1, len(y))))
        zs.append(q.T @ y)
        dirs.append(sign * (q.T @ e))
    z = np.concatenate(zs)
    a = np.concatenate(dirs)
    def log_lik(delta, sigma):
        return float(np.sum(stats.norm.logpdf(z, delta * sigma * math.sqrt(2) * a, sigma)))
    # Integrate in log sigma around the scale of the data, normalised by the null's peak for stability.
    spread = math.sqrt(float(np.mean(z * z)))
    ref = log_lik(0.0, spread)
    def integral(delta):
        f = lambda t: math.exp(log_lik(delta, spread * math.exp(t)) - ref)
        return integrate.quad(f, -30, 30, limit=400, epsabs=0, epsrel=1e-11, points=[-2, -0.5, 0, 0.5, 2])[0]
    null = integral(0.0)
    return sum(integral(d) / null for d in grid) / len(grid)

short_rounds = [
    ([121.0, 118.5, 125.2], [119.0, 120.4, 117.9]),
    ([130.1, 127.9, 133.0], [121.3, 118.8, 122.0]),
    ([126.4, 129.9, 124.0], [118.2, 123.5, 120.1]),
    ([128.0], [121.5, 119.0, 122.7]),
    ([131.2, 126.6], [120.0]),
]
# 60 rounds of 3 against 3 values, 359 dimensions: a small regression (+3%) in noisy instances.
long_rounds = []
for r in range(60):
    level = 120 * (1 + 0.03 * rng.normal())
    long_rounds.append((list(np.round(level * 1.03 + 6 * rng.normal(size=3), 3)),
                        list(np.round(level + 6 * rng.normal(size=3), 3))))
sets = dict(short=short_rounds, long=long_rounds)
mean_cases = []
for direction, tolerance, sign in [("increase", 0.0, 1), ("increase", 0.05, 1), ("decrease", 0.0, -1),
                                   ("decrease", 0.1, -1)]:
    for n in (1, 2, len(short_rounds)):
        mean_cases.append(dict(set="short", direction=direction, tolerance=tolerance, rounds=n,
                               e=mean_evalue(short_rounds[:n], tolerance, sign)))
for n in (1, 3, len(short_rounds)):
    mean_cases.append(dict(set="short", direction="either", tolerance=0.0, rounds=n,
                           e=(mean_evalue(short_rounds[:n], 0.0, 1) + mean_evalue(short_rounds[:n], 0.0, -1)) / 2))
for n in (20, len(long_rounds)):
    mean_cases.append(dict(set="long", direction="increase", tolerance=0.0, rounds=n,
                           e=mean_evalue(long_rounds[:n], 0.0, 1)))
mean_cases.append(dict(set="long", direction="either", tolerance=0.0, rounds=len(long_rounds),
                       e=(mean_evalue(long_rounds, 0.0, 1) + mean_evalue(long_rounds, 0.0, -1)) / 2))
with open(os.path.join(HERE, "mean-test-instances.json"), "w") as f:
    json.dump(dict(source="normal likelihood of the within-round contrasts (scipy.linalg.null_space), integrated over "
                          "sigma with prior 1/sigma (scipy.integrate.quad), averaged over delta = 2^(k/2), k=-2..6, "
                          "delta in standard deviations of the difference between one canary and one baseline value",
                   sets={k: [dict(canary=list(map(float, c)), baseline=list(map(float, b))) for c, b in v]
                         for k, v in sets.items()},
                   cases=mean_cases), f, indent=1)

# Count test tempered by the learned dispersion (count-dispersion.json), computed the long way from
# per-round arrays (the judge keeps running sums). Only rounds where both versions served trials
# count. For each version v with at least one event, with its constant rate fitted, lam = sum x / sum n:
#   squares_v  = sum over rounds of (x_r - n_r lam)^2                       (Pearson's numerator)
#   k_v        = (sum n_r)^2 / sum n_r^2                                    (rounds, as equal rounds)
#   expected_v = (sum x_r) (1 - 1/k_v)        df_v = k_v - 1
# phi_hat = sum squares_v / sum expected_v (1 when no events), d = sum df_v, and
#   phi = max(1, (0.5 * 14 + d * phi_hat) / (0.5 + max(0, d - 5))).
# e = mean over the grid of exp(log LR / phi), log LR = sum over rounds of
#   scipy.stats.binom.logpmf(x_c; x_c + x_b, q1) - binom.logpmf(x_c; x_c + x_b, q0).
def dispersion(rounds):
    r = np.array([x for x in rounds if x[1] > 0 and x[3] > 0], dtype=float)
    squares = expected = d = 0.0
    for xs, ns in ((r[:, 0], r[:, 1]), (r[:, 2], r[:, 3])):
        if xs.sum() == 0:
            continue
        lam = xs.sum() / ns.sum()
        k = ns.sum() ** 2 / (ns ** 2).sum()
        squares += float(((xs - ns * lam) ** 2).sum())
        expected += float(xs.sum() * (1 - 1 / k))
        d += k - 1
    phi_hat = squares / expected if expected > 0 else 1.0
    return max(1.0, (0.5 * 14 + d * phi_hat) / (0.5 + max(0.0, d - 5))), d

def tempered(rounds, rho0_up, rho0_down, sides):
    phi, d = dispersion(rounds)
    grid = []
    if "up" in sides:
        grid += [(rho0_up, rho0_up * 2 ** (k / 3)) for k in range(1, 10)]
    if "down" in sides:
        grid += [(rho0_down, rho0_down / 2 ** (k / 3)) for k in range(1, 10)]
    total = 0.0
    for r0, r1 in grid:
        log_lr = 0.0
        for xc, nc, xb, nb in rounds:
            if nc == 0 or nb == 0 or xc + xb == 0:
                continue
            q0 = nc * r0 / (nc * r0 + nb)
            q1 = nc * r1 / (nc * r1 + nb)
            log_lr += stats.binom.logpmf(xc, xc + xb, q1) - stats.binom.logpmf(xc, xc + xb, q0)
        total += math.exp(log_lr / phi) / len(grid)
    return total, phi, d

drng = np.random.default_rng(25)
def bursty(n_rounds, mean, max_burst, effect, requests):
    out = []
    for _ in range(n_rounds):
        row = []
        for eff in (effect, 1.0):
            n = int(drng.poisson(requests))
            bursts = drng.poisson(n * mean * eff / ((1 + max_burst) / 2))
            row += [int(min(n, drng.integers(1, max_burst + 1, size=bursts).sum())), n]
        out.append(tuple(row))
    return out
dispersion_sets = dict(
    small=rounds,
    bursts=bursty(15, 0.005, 20, 1.0, 5000),
    poisson=[(int(drng.poisson(0.01 * 500)), 500, int(drng.poisson(0.005 * 500)), 500) for _ in range(40)],
    burstyRegression=bursty(30, 0.005, 5, 2.0, 500),
)
dispersion_cases = []
for name, rs in dispersion_sets.items():
    for direction, tolerance, sides in [("increase", 0.0, ("up",)), ("increase", 0.2, ("up",)),
                                        ("decrease", 0.0, ("down",)), ("either", 0.1, ("up", "down"))]:
        for n in sorted({1, 3, len(rs)}):
            e, phi, d = tempered(rs[:n], 1 + tolerance, 1 - tolerance, sides)
            dispersion_cases.append(dict(set=name, direction=direction, tolerance=tolerance, rounds=n, e=e,
                                         dispersion=phi, df=d))
with open(os.path.join(HERE, "count-dispersion.json"), "w") as f:
    json.dump(dict(source="Pearson's dispersion of each version's counts around its fitted constant rate, pooled "
                          "and combined with the prior 14 (weight 0.5, 5 degrees of freedom discounted); "
                          "scipy.stats.binom.logpmf likelihood ratios raised to 1/dispersion, averaged over the grid",
                   sets={k: [dict(canaryEvents=a, canaryTrials=b, baselineEvents=c, baselineTrials=d)
                             for a, b, c, d in v] for k, v in dispersion_sets.items()},
                   cases=dispersion_cases), f, indent=1)
