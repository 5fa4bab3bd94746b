#!/usr/bin/python3
"""Records NumPy's Newton iteration for examples/newton_logistic.nn (never run by the tests).

Run by hand: /usr/bin/python3 src/test/python/record_newton_reference.py
Writes src/test/resources/derivatives/newton-reference.txt: the data (X with a last row of ones, y), and for each
Newton step k from w = 0 the Hessian H_k = X diag(a(1−a)) Xᵀ / m, the gradient g_k = X (a − y) / m and the next
w_{k+1} = w_k − H_k⁻¹ g_k, in float64. Lines: "name = v0 v1 ...", tensors row-major.
"""
import os
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "derivatives", "newton-reference.txt")
STEPS = 8


def main():
    rng = np.random.default_rng(16)
    m = 200
    features = rng.normal(size=(2, m))
    true_w = np.array([1.5, -2.0])
    p = 1 / (1 + np.exp(-(true_w @ features + 0.3)))
    y = (rng.uniform(size=m) < p).astype(np.float64)  # noisy labels: the optimum is finite
    X = np.vstack([features, np.ones(m)])
    lines = ["# NumPy " + np.__version__ + ", float64; written by src/test/python/record_newton_reference.py",
             "m = " + str(m),
             "X = " + " ".join(repr(float(x)) for x in X.reshape(-1)),
             "y = " + " ".join(repr(float(x)) for x in y)]
    w = np.zeros(3)
    for k in range(STEPS):
        a = 1 / (1 + np.exp(-(w @ X)))
        g = X @ (a - y) / m
        H = X @ np.diag(a * (1 - a)) @ X.T / m
        lines.append("H%d = " % k + " ".join(repr(float(x)) for x in H.reshape(-1)))
        lines.append("g%d = " % k + " ".join(repr(float(x)) for x in g))
        w = w - np.linalg.solve(H, g)
        lines.append("w%d = " % (k + 1) + " ".join(repr(float(x)) for x in w))
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
