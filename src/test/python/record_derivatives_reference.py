#!/usr/bin/python3
"""Records PyTorch's numbers for the models of src/test/resources/derivatives/*.nn (∂ inside the language).

Run by hand (never by the tests) with the system Python that has python3-torch: /usr/bin/python3 src/test/python/record_derivatives_reference.py
It writes src/test/resources/derivatives/torch-reference.txt: for each model, the values of its inputs and params
(chosen here, seeded) and what torch.autograd computes in float64 with create_graph=True — the model's ∂ values,
its loss and the gradient of the loss with respect to every param (second and third derivatives). Tensors are
row-major, one line each: "Model.name = v0 v1 ...".
"""
import os
import numpy as np
import torch

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "derivatives", "torch-reference.txt")


def leaf(rng, *shape, scale=1.0, grad=False):
    t = torch.tensor(rng.uniform(-scale, scale, size=shape) if shape else rng.uniform(-scale, scale))
    return t.requires_grad_(grad)


def labels(rng, *shape):
    return torch.tensor(rng.integers(0, 2, size=shape).astype(np.float64))


def grad(e, x):
    return torch.autograd.grad(e, x, create_graph=True)[0]


def gradient_penalty(rng):
    X, y = leaf(rng, 3, 5, scale=2), labels(rng, 5)
    w, b = leaf(rng, 3, grad=True), leaf(rng, grad=True)
    a = torch.sigmoid(w @ X + b)
    L = -torch.sum(y * torch.log(a) + (1 - y) * torch.log(1 - a)) / 5
    g = grad(L, w)
    L2 = L + 0.1 * torch.sum(g ** 2)
    dw, db = torch.autograd.grad(L2, (w, b))
    return dict(X=X, y=y, w=w, b=b), dict(g=g, L2=L2, **{"∂L2/∂w": dw, "∂L2/∂b": db})


def input_penalty(rng):
    X, y = leaf(rng, 4, 3, grad=True), leaf(rng, 4)
    W1, b1, w2 = leaf(rng, 3, 5, grad=True), leaf(rng, 5, grad=True), leaf(rng, 5, grad=True)
    Hd = torch.tanh(X @ W1 + b1)
    p = Hd @ w2
    L = torch.sum((p - y) ** 2) / 4
    G = grad(L, X)
    L2 = L + 0.5 * torch.sum(G * G)
    dW1, db1, dw2 = torch.autograd.grad(L2, (W1, b1, w2))
    return dict(X=X, y=y, W1=W1, b1=b1, w2=w2), dict(G=G, L2=L2, **{"∂L2/∂W1": dW1, "∂L2/∂b1": db1, "∂L2/∂w2": dw2})


def hessian_vector(rng):
    X, y, v = leaf(rng, 3, 6, scale=2), labels(rng, 6), leaf(rng, 3)
    w = leaf(rng, 3, grad=True)
    a = torch.sigmoid(w @ X)
    L = -torch.sum(y * torch.log(a) + (1 - y) * torch.log(1 - a)) / 6
    g = grad(L, w)
    Hv = grad(g @ v, w)
    J = L + 0.01 * torch.sum(Hv * Hv)
    (dw,) = torch.autograd.grad(J, (w,))
    H = torch.autograd.functional.hessian(
        lambda w_: -torch.sum(y * torch.log(torch.sigmoid(w_ @ X)) + (1 - y) * torch.log(1 - torch.sigmoid(w_ @ X))) / 6,
        w.detach())
    return dict(X=X, y=y, v=v, w=w), dict(g=g, Hv=Hv, J=J, H=H, **{"∂J/∂w": dw})


def main():
    rng = np.random.default_rng(20261130)
    lines = ["# PyTorch " + torch.__version__ + ", float64; written by src/test/python/record_derivatives_reference.py"]
    for name, case in [("GradientPenalty", gradient_penalty), ("InputPenalty", input_penalty),
                       ("HessianVector", hessian_vector)]:
        leaves, results = case(rng)
        for key, t in list(leaves.items()) + list(results.items()):
            flat = t.detach().reshape(-1).tolist()
            lines.append(name + "." + key + " = " + " ".join(repr(float(x)) for x in flat))
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
