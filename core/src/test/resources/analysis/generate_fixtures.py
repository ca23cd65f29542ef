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
