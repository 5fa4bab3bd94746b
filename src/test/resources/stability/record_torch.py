"""Records the reference values of LossSweepTest (run by hand: /usr/bin/python3 record_torch.py > torch_losses.csv).

Every spelling of a loss in the sweep equals one of these functions in real arithmetic; torch computes them in
float64 with its stable kernels (binary_cross_entropy_with_logits, log_softmax, logsumexp) and autograd.
Columns: kind, s (the logit scale), y, loss, gradient entries (row-major).
"""
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
SCALES = [0.0, 30.0, -30.0, 800.0, -800.0, 1e4, -1e4]
T = torch.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])


def row(kind, s, y, loss, grad):
    values = [kind, repr(s), repr(y), repr(loss.item())] + [repr(g) for g in grad.flatten().tolist()]
    print(",".join(values))


for s in SCALES:
    for y in (1.0, 0.0):
        z = torch.tensor(s, requires_grad=True)
        loss = F.binary_cross_entropy_with_logits(z, torch.tensor(y))
        loss.backward()
        row("bce", s, y, loss, z.grad)
    A = torch.tensor([[s, -s, 0.0], [0.0, s, -s]], requires_grad=True)
    loss = -(T * F.log_softmax(A, dim=1)).sum() / 2
    loss.backward()
    row("cce", s, 0.0, loss, A.grad)
    A = torch.tensor([[s, -s, 0.0], [0.0, s, -s]], requires_grad=True)
    loss = ((A - T) ** 2).sum() / 2
    loss.backward()
    row("mse", s, 0.0, loss, A.grad)
    z = torch.tensor([s, -s, 1.0], requires_grad=True)
    loss = torch.logsumexp(z, dim=0)
    loss.backward()
    row("lse", s, 0.0, loss, z.grad)
    z = torch.tensor([s, -s, 1.0], requires_grad=True)
    loss = -F.log_softmax(z, dim=0)[0]
    loss.backward()
    row("vcce", s, 0.0, loss, z.grad)
