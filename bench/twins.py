#!/usr/bin/env python3
"""NumPy and PyTorch twins of the benchmarked models, driven by dev.nnc.bench.Compare (not run by mvn verify).

A worker: reads one request per line on stdin, answers one line on stdout. A request is
  impl model hidden batch batches file seconds precision clock [detail, ignored]
with impl numpy|torch, model two|deep|cnn (two = 784-hidden-10 sigmoid/softmax/cross-entropy as
examples/two_layer_net.nn; deep = 784-256-256-10 ReLU, as bench/models/deep_relu.nn; cnn = the LeNet-style net of
examples/mnist_cnn.nn), file holding `batches` batches of X[batch x 784] then of T[batch x 10], float64
little-endian, written by Compare, precision f64|f32 (the twin computes in float64 or float32), clock cpu (this
thread's CPU time) or wall. The answer is the median milliseconds of one SGD step (forward, backward, update) over 5
chunks of `seconds`/5 each, cycling over the batches.

Each twin is written the way a competent NumPy/PyTorch user writes it (matrix products through BLAS, in-place
updates); one thread: Compare starts this worker with OPENBLAS_NUM_THREADS=1, and torch.set_num_threads(1).
"""
import os
import sys
import time

import numpy as np

I, O, LR = 784, 10, 0.1


def numpy_two(h, rng, dtype):
    W1 = rng.normal(0, 0.01, (I, h)).astype(dtype); b1 = np.zeros(h, dtype)
    W2 = rng.normal(0, 0.01, (h, O)).astype(dtype); b2 = np.zeros(O, dtype)

    def step(X, T):
        nonlocal W1, b1, W2, b2
        B = X.shape[0]
        Z1 = 1.0 / (1.0 + np.exp(-(X @ W1 + b1)))
        A2 = Z1 @ W2 + b2
        E = np.exp(A2 - A2.max(axis=1, keepdims=True))
        Y = E / E.sum(axis=1, keepdims=True)
        loss = -np.sum(T * np.log(Y + 1e-7)) / B
        dA2 = (Y - T) / B
        dW2 = Z1.T @ dA2; db2 = dA2.sum(axis=0)
        dA1 = (dA2 @ W2.T) * Z1 * (1.0 - Z1)
        dW1 = X.T @ dA1; db1 = dA1.sum(axis=0)
        W1 -= LR * dW1; b1 -= LR * db1; W2 -= LR * dW2; b2 -= LR * db2
        return loss
    return step


def numpy_deep(rng, dtype):
    W = [rng.normal(0, 0.05, s).astype(dtype) for s in ((I, 256), (256, 256), (256, O))]
    b = [np.zeros(s, dtype) for s in (256, 256, O)]

    def step(X, T):
        B = X.shape[0]
        A1 = X @ W[0] + b[0]; Z1 = np.maximum(A1, 0)
        A2 = Z1 @ W[1] + b[1]; Z2 = np.maximum(A2, 0)
        A3 = Z2 @ W[2] + b[2]
        E = np.exp(A3 - A3.max(axis=1, keepdims=True))
        Y = E / E.sum(axis=1, keepdims=True)
        loss = -np.sum(T * np.log(Y + 1e-7)) / B
        d3 = (Y - T) / B
        g2 = Z2.T @ d3; d2 = (d3 @ W[2].T) * (A2 > 0)
        g1 = Z1.T @ d2; d1 = (d2 @ W[1].T) * (A1 > 0)
        g0 = X.T @ d1
        for w, g in zip(W, (g0, g1, g2)):
            w -= LR * g
        for bb, d in zip(b, (d1, d2, d3)):
            bb -= LR * d.sum(axis=0)
        return loss
    return step


def windows(x, k):
    """The k x k windows of the last two axes: (B, C, OH, OW, k, k), a view (im2col happens in tensordot's copy)."""
    return np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(2, 3))


def numpy_cnn(rng, dtype):
    """conv 5x5 (1->8) relu maxpool 2, conv 5x5 (8->16) relu maxpool 2, dense 256->128 relu, dense 128->10."""
    K1 = rng.normal(0, np.sqrt(2 / 25), (8, 1, 5, 5)).astype(dtype); c1 = np.zeros((8, 1, 1), dtype)
    K2 = rng.normal(0, np.sqrt(2 / 200), (16, 8, 5, 5)).astype(dtype); c2 = np.zeros((16, 1, 1), dtype)
    W3 = rng.normal(0, np.sqrt(2 / 256), (256, 128)).astype(dtype); b3 = np.zeros(128, dtype)
    W4 = rng.normal(0, np.sqrt(1 / 128), (128, O)).astype(dtype); b4 = np.zeros(O, dtype)

    def conv(x, k):  # (B, C, H, W) * (F, C, 5, 5) -> (B, F, OH, OW)
        return np.tensordot(windows(x, 5), k, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2)

    def pool(a):  # 2 x 2 max pool and the mask of the maxima (ties: every maximum gets the gradient)
        B, C, H, W = a.shape
        r = a.reshape(B, C, H // 2, 2, W // 2, 2)
        m = r.max(axis=(3, 5))
        return m, (r == m[:, :, :, None, :, None])

    def unpool(g, mask):
        B, C, h, _, w, _ = mask.shape
        return (mask * g[:, :, :, None, :, None]).reshape(B, C, 2 * h, 2 * w)

    def step(X, T):
        B = X.shape[0]
        X = X.reshape(B, 1, 28, 28)
        Z1 = conv(X, K1) + c1; R1 = np.maximum(Z1, 0); A1, m1 = pool(R1)
        Z2 = conv(A1, K2) + c2; R2 = np.maximum(Z2, 0); A2, m2 = pool(R2)
        F = A2.reshape(B, 256)
        H3 = np.maximum(F @ W3 + b3, 0)
        Z = H3 @ W4 + b4
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        Y = E / E.sum(axis=1, keepdims=True)
        dZ = (Y - T) / B
        dW4 = H3.T @ dZ; db4 = dZ.sum(axis=0)
        dH = (dZ @ W4.T) * (H3 > 0)
        dW3 = F.T @ dH; db3 = dH.sum(axis=0)
        dA2 = (dH @ W3.T).reshape(A2.shape)
        dZ2 = unpool(dA2, m2) * (Z2 > 0)
        dK2 = np.tensordot(dZ2, windows(A1, 5), axes=([0, 2, 3], [0, 2, 3]))
        dc2 = dZ2.sum(axis=(0, 2, 3)).reshape(c2.shape)
        # input gradient: a full convolution of dZ2 with the flipped kernel
        padded = np.pad(dZ2, ((0, 0), (0, 0), (4, 4), (4, 4)))
        dA1 = np.tensordot(windows(padded, 5), K2[:, :, ::-1, ::-1], axes=([1, 4, 5], [0, 2, 3])).transpose(0, 3, 1, 2)
        dZ1 = unpool(dA1, m1) * (Z1 > 0)
        dK1 = np.tensordot(dZ1, windows(X, 5), axes=([0, 2, 3], [0, 2, 3]))
        dc1 = dZ1.sum(axis=(0, 2, 3)).reshape(c1.shape)
        for p, g in ((K1, dK1), (c1, dc1), (K2, dK2), (c2, dc2), (W3, dW3), (b3, db3), (W4, dW4), (b4, db4)):
            p -= LR * g
    return step


def torch_step(model, h, dtype):
    import torch
    torch.set_num_threads(1)
    nn = torch.nn
    if model == "cnn":  # examples/mnist_cnn.nn
        net = nn.Sequential(nn.Unflatten(1, (1, 28, 28)),
                            nn.Conv2d(1, 8, 5, dtype=dtype), nn.ReLU(), nn.MaxPool2d(2),
                            nn.Conv2d(8, 16, 5, dtype=dtype), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                            nn.Linear(256, 128, dtype=dtype), nn.ReLU(), nn.Linear(128, O, dtype=dtype))
    else:
        sizes = (I, h, O) if model == "two" else (I, 256, 256, O)
        layers = []
        for a, c in zip(sizes, sizes[1:]):
            layers.append(nn.Linear(a, c, dtype=dtype))
            if c != O:
                layers.append(nn.Sigmoid() if model == "two" else nn.ReLU())
        net = nn.Sequential(*layers)
    opt = torch.optim.SGD(net.parameters(), lr=LR)
    lossf = torch.nn.CrossEntropyLoss()

    def step(X, T):
        opt.zero_grad(set_to_none=False)
        loss = lossf(net(X), T)
        loss.backward()
        opt.step()
        return loss
    return step


def main():
    cache = {}
    for line in sys.stdin:
        impl, model, hidden, batch, batches, path, seconds, precision, clock_name = line.split()[:9]
        hidden, batch, batches, seconds = int(hidden), int(batch), int(batches), float(seconds)
        # wall time, or this thread's CPU time (one-thread twins on a machine shared with other work)
        clock = time.thread_time if clock_name == "cpu" else time.perf_counter
        dtype = np.float32 if precision == "f32" else np.float64
        key = (impl, model, hidden, batch, path, precision)
        if key not in cache:
            raw = np.fromfile(path, dtype="<f8")
            xs = raw[: batches * batch * I].reshape(batches, batch, I).astype(dtype)
            ts = raw[batches * batch * I:].reshape(batches, batch, O).astype(dtype)
            rng = np.random.default_rng(1)
            if impl == "numpy":
                if model == "two":
                    step = numpy_two(hidden, rng, dtype)
                elif model == "deep":
                    step = numpy_deep(rng, dtype)
                else:
                    step = numpy_cnn(rng, dtype)
                data = [(xs[i].copy(), ts[i].copy()) for i in range(batches)]
            else:
                import torch
                step = torch_step(model, hidden, torch.float32 if precision == "f32" else torch.float64)
                data = [(torch.from_numpy(xs[i].copy()), torch.from_numpy(ts[i].argmax(axis=1)))
                        for i in range(batches)]
            cache.clear()  # one model at a time: the previous one's memory is not kept
            cache[key] = (step, data)
        step, data = cache[key]
        t0, i = clock(), 0
        while clock() - t0 < seconds or i < 3 * len(data):  # warm-up
            step(*data[i % len(data)])
            i += 1
        chunks = []
        for c in range(5):
            n, t0 = 0, clock()
            while True:
                step(*data[n % len(data)])
                n += 1
                el = clock() - t0
                if el >= seconds / 5:
                    break
            chunks.append(1000.0 * el / n)
        chunks.sort()
        print(f"{chunks[2]:.6f}", flush=True)


if __name__ == "__main__":
    main()
