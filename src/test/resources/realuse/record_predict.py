# Records what a NumPy forward pass of examples/two_layer_net.nn outputs (Y = softmax(σ(X W1 + b1) W2 + b2)) for
# PredictTest (run by hand: python3 record_predict.py; never by the tests). Weights and inputs are integers divided
# by a power-of-ten constant, computed the same way in the test, so both sides start from identical doubles.
import numpy as np

I, H, O, ROWS = 784, 50, 10, 64

def weights(n, mult, scale):
    k = np.arange(n, dtype=np.int64)
    return ((k * mult) % 2001 - 1000).astype(np.float64) / scale

W1 = weights(I * H, 7919, 2000.0).reshape(I, H)
b1 = weights(H, 104729, 10000.0)
W2 = weights(H * O, 1299709, 200.0).reshape(H, O)
b2 = weights(O, 15485863, 10000.0)
X = ((np.arange(ROWS * I, dtype=np.int64) * 104729) % 256).astype(np.float64).reshape(ROWS, I) / 255.0
Z1 = 1.0 / (1.0 + np.exp(-(X @ W1 + b1)))
A2 = Z1 @ W2 + b2
E = np.exp(A2 - A2.max(axis=1, keepdims=True))
Y = E / E.sum(axis=1, keepdims=True)
with open("two_layer_net_predict.txt", "w") as out:
    out.write("# numpy %s; see record_predict.py: Y for %d rows, row-major\n" % (np.__version__, ROWS))
    out.write(" ".join(repr(float(v)) for v in Y.flatten()) + "\n")
