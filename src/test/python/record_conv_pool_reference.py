#!/usr/bin/env python3
"""Records PyTorch's conv2d / max_pool2d / avg_pool2d values and gradients into a test resource.

Run once by hand (/usr/bin/python3 src/test/python/record_conv_pool_reference.py); the tests never run Python, they read
src/test/resources/layers/conv-pool-reference.txt (ConvPoolTorchTest). float64 throughout. The inputs are given by
formulas the Java test repeats (X[i] = sin(0.37 i + 0.1), K[i] = 0.5 cos(0.53 i), R[i] = sin(1.3 i + 0.7), i the
row-major position), so only the results are stored. Each case is L = sum(op(X[, K]) * R) and its gradients.
"""
import math

import torch
import torch.nn.functional as F

# op, B, C, H, W, F, KH, KW, stride, padding, k
CASES = [
    ("conv", 2, 3, 7, 6, 4, 3, 2, 1, 0, 0),
    ("conv", 2, 3, 7, 6, 4, 3, 2, 2, 1, 0),
    ("conv", 1, 2, 9, 8, 3, 4, 3, 3, 2, 0),
    ("conv", 3, 1, 28, 28, 6, 5, 5, 1, 0, 0),
    ("conv", 2, 2, 5, 5, 2, 5, 5, 1, 2, 0),
    ("maxpool", 2, 3, 8, 6, 0, 0, 0, 0, 0, 2),
    ("maxpool", 1, 2, 9, 9, 0, 0, 0, 0, 0, 3),
    ("avgpool", 2, 3, 8, 6, 0, 0, 0, 0, 0, 2),
    ("avgpool", 1, 2, 9, 9, 0, 0, 0, 0, 0, 3),
]


def filled(shape, f):
    n = math.prod(shape)
    return torch.tensor([f(i) for i in range(n)], dtype=torch.float64).reshape(shape).requires_grad_(True)


def numbers(t):
    return " ".join(repr(float(v)) for v in t.detach().reshape(-1).tolist())


def main():
    lines = ["# op B C H W F KH KW stride padding k ; L ; dL/dX ; dL/dK (conv only) — recorded by "
             "src/test/python/record_conv_pool_reference.py with torch " + torch.__version__]
    for op, b, c, h, w, f, kh, kw, s, p, k in CASES:
        x = filled((b, c, h, w), lambda i: math.sin(0.37 * i + 0.1))
        if op == "conv":
            kern = filled((f, c, kh, kw), lambda i: 0.5 * math.cos(0.53 * i))
            y = F.conv2d(x, kern, stride=s, padding=p)
        elif op == "maxpool":
            y = F.max_pool2d(x, k)
        else:
            y = F.avg_pool2d(x, k)
        r = filled(tuple(y.shape), lambda i: math.sin(1.3 * i + 0.7)).detach()
        loss = (y * r).sum()
        loss.backward()
        parts = [" ".join(str(v) for v in (op, b, c, h, w, f, kh, kw, s, p, k)), repr(loss.item()), numbers(x.grad)]
        if op == "conv":
            parts.append(numbers(kern.grad))
        lines.append(" ; ".join(parts))
    with open("src/test/resources/layers/conv-pool-reference.txt", "w") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
