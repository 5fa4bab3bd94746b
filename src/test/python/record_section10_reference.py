#!/usr/bin/env python3
"""Records PyTorch's values and derivatives of the LANGUAGE.md §10 functions into a test resource.

Run once by hand (python3 src/test/python/record_section10_reference.py); the tests never run Python, they read
src/test/resources/prim/section10-reference.csv. float64 throughout; gelu is PyTorch's tanh approximation.
"""
import torch
import torch.nn.functional as F

FUNCTIONS = {
    "log1p": (lambda x, a: torch.log1p(x), [-0.9, -0.5, -1e-9, 0.0, 1e-10, 0.3, 1.7, 3.0, 1e6]),
    "expm1": (lambda x, a: torch.expm1(x), [-40.0, -2.0, -1e-10, 0.0, 1e-9, 0.5, 2.0, 20.0]),
    "sinh": (lambda x, a: torch.sinh(x), [-5.0, -1.2, -1e-8, 0.0, 0.7, 2.0, 10.0]),
    "cosh": (lambda x, a: torch.cosh(x), [-5.0, -1.2, 0.0, 0.7, 2.0, 10.0]),
    "tan": (lambda x, a: torch.tan(x), [-1.5, -1.2, -0.3, 0.0, 0.4, 1.0, 1.5]),
    "atan": (lambda x, a: torch.atan(x), [-1e8, -30.0, -1.0, 0.0, 0.2, 1.0, 4.0, 1e8]),
    "elu": (lambda x, a: F.elu(x, alpha=a), [-800.0, -40.0, -3.0, -1.0, -1e-9, 0.5, 2.0, 100.0]),
    "silu": (lambda x, a: F.silu(x), [-800.0, -40.0, -3.0, -0.5, 0.0, 0.5, 3.0, 40.0, 800.0]),
    "gelu": (lambda x, a: F.gelu(x, approximate="tanh"), [-800.0, -10.0, -3.0, -0.5, 0.0, 0.5, 3.0, 10.0, 800.0]),
}
ALPHAS = {"elu": [1.0, 0.3, 2.5]}


def main():
    rows = ["function,param,x,value,derivative"]
    for name, (f, points) in FUNCTIONS.items():
        for alpha in ALPHAS.get(name, [0.0]):
            for p in points:
                x = torch.tensor(p, dtype=torch.float64, requires_grad=True)
                y = f(x, alpha)
                (g,) = torch.autograd.grad(y, x)
                rows.append(f"{name},{alpha!r},{p!r},{y.item()!r},{g.item()!r}")
    with open("src/test/resources/prim/section10-reference.csv", "w") as out:
        out.write("# written by src/test/python/record_section10_reference.py with torch " + torch.__version__ + "\n")
        out.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
