#!/usr/bin/env python3
"""NumPy and PyTorch twins of the benchmarked models, driven by dev.nnc.bench.Compare (not run by mvn verify).

A worker: reads one request per line on stdin, answers one line on stdout. A request is
  impl model hidden batch batches file seconds
with impl numpy|torch, model two|deep (two = 784-hidden-10 sigmoid/softmax/cross-entropy as
examples/two_layer_net.nn; deep = 784-256-256-10 ReLU, as bench/models/deep_relu.nn), and file holding `batches`
batches of X[batch x 784] then of T[batch x 10], float64 little-endian, written by Compare. The answer is the median
milliseconds of one SGD step (forward, backward, update) over 5 chunks of `seconds`/5 each, cycling over the batches.

Each twin is written the way a competent NumPy/PyTorch user writes it (matrix products through BLAS, in-place
updates); one thread: Compare starts this worker with OPENBLAS_NUM_THREADS=1, and torch.set_num_threads(1).
"""
import os
import sys
import time

import numpy as np

I, O, LR = 784, 10, 0.1


def numpy_two(h, x, t, rng):
    W1 = rng.normal(0, 0.01, (I, h)); b1 = np.zeros(h)
    W2 = rng.normal(0, 0.01, (h, O)); b2 = np.zeros(O)

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


def numpy_deep(x, t, rng):
    W = [rng.normal(0, 0.05, s) for s in ((I, 256), (256, 256), (256, O))]
    b = [np.zeros(s) for s in (256, 256, O)]

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


def torch_step(model, h):
    import torch
    torch.set_num_threads(1)
    sizes = (I, h, O) if model == "two" else (I, 256, 256, O)
    layers = []
    for a, c in zip(sizes, sizes[1:]):
        layers.append(torch.nn.Linear(a, c, dtype=torch.float64))
        if c != O:
            layers.append(torch.nn.Sigmoid() if model == "two" else torch.nn.ReLU())
    net = torch.nn.Sequential(*layers)
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
    # wall time, or with NNC_CLOCK=cpu this thread's CPU time (one-thread twins on a machine shared with other work)
    clock = time.thread_time if os.environ.get("NNC_CLOCK") == "cpu" else time.perf_counter
    cache = {}
    for line in sys.stdin:
        impl, model, hidden, batch, batches, path, seconds = line.split()
        hidden, batch, batches, seconds = int(hidden), int(batch), int(batches), float(seconds)
        key = (impl, model, hidden, batch, path)
        if key not in cache:
            raw = np.fromfile(path, dtype="<f8")
            xs = raw[: batches * batch * I].reshape(batches, batch, I)
            ts = raw[batches * batch * I:].reshape(batches, batch, O)
            rng = np.random.default_rng(1)
            if impl == "numpy":
                step = numpy_two(hidden, xs, ts, rng) if model == "two" else numpy_deep(xs, ts, rng)
                data = [(xs[i].copy(), ts[i].copy()) for i in range(batches)]
            else:
                import torch
                step = torch_step(model, hidden)
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
