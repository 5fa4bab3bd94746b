# Records torch.optim trajectories of small_net.nn for OptimizersTest (run by hand with /usr/bin/python3, which has
# python3-torch; never by the tests): 20 steps on one fixed batch from the params in small_net_f8.npz, float64.
# Each case: the loss before each step, then every param after the 20 steps, flat in declaration order.
import numpy as np
import torch

torch.set_default_dtype(torch.float64)
start = np.load("small_net_f8.npz")
B, I, H, O = 4, 6, 5, 3
X = torch.tensor(np.cos(0.3 * np.arange(B * I) + 0.1).reshape(B, I))
T = torch.zeros(B, O)
for r in range(B):
    T[r, (2 * r + 1) % O] = 1.0

cases = {
    "sgd": lambda ps: torch.optim.SGD(ps, lr=0.5),
    "momentum": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9),
    "nesterov": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.0, weight_decay=0.01, nesterov=True),
    "dampened": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.8, dampening=0.3),
    "adam": lambda ps: torch.optim.Adam(ps, lr=0.01),
    "adam_decay": lambda ps: torch.optim.Adam(ps, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
    "adamw": lambda ps: torch.optim.AdamW(ps, lr=0.01),
    "adamw_decay": lambda ps: torch.optim.AdamW(ps, lr=0.02, betas=(0.85, 0.995), eps=1e-7, weight_decay=0.3),
}

def fmt(values):
    return " ".join(repr(float(v)) for v in values)

with open("torch_trajectories.txt", "w") as out:
    out.write("# torch %s, numpy %s; see record_torch.py\n" % (torch.__version__, np.__version__))
    out.write("X " + fmt(X.flatten()) + "\n")
    out.write("T " + fmt(T.flatten()) + "\n")
    for name, make in cases.items():
        params = [torch.tensor(start[k], requires_grad=True) for k in ("W1", "b1", "W2", "b2")]
        W1, b1, W2, b2 = params
        opt = make(params)
        losses = []
        for step in range(20):
            opt.zero_grad()
            Z1 = torch.sigmoid(X @ W1 + b1)
            Y = torch.softmax(Z1 @ W2 + b2, dim=1)
            L = -(T * torch.log(Y + 1e-7)).sum() / B
            L.backward()
            losses.append(L.item())
            opt.step()
        out.write("loss:%s %s\n" % (name, fmt(losses)))
        out.write("params:%s %s\n" % (name, fmt(torch.cat([p.detach().flatten() for p in params]))))
