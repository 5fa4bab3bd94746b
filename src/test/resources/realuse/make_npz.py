# Records the NumPy-written .npz files NpzTest loads (run by hand: python3 make_npz.py; never by the tests).
# Values are v[k] = sin(0.37·(k + 1) + offset) over the flat row-major index k, which the test recomputes in Java.
import numpy as np

def values(shape, offset):
    n = int(np.prod(shape))
    return np.sin(0.37 * (np.arange(n) + 1) + offset).reshape(shape)

good = dict(W1=values((6, 5), 0.0), b1=values((5,), 1.0), W2=values((5, 3), 2.0), b2=values((3,), 3.0))
np.savez("small_net_f8.npz", **good)
np.savez_compressed("small_net_f8_compressed.npz", **good)
np.savez("small_net_f4.npz", **{k: v.astype(np.float32) for k, v in good.items()})
np.savez("logistic_regression_f8.npz", w=values((4,), 0.5), b=np.float64(0.25))
bad = dict(good); bad["W1"] = good["W1"].T.copy()
np.savez("bad_shape.npz", **bad)
bad = dict(good); bad["b2"] = np.arange(3, dtype=np.int64)
np.savez("bad_dtype.npz", **bad)
bad = dict(good); bad["W2"] = np.asfortranarray(good["W2"])
np.savez("bad_fortran.npz", **bad)
bad = dict(good); bad["W3"] = good["W2"]
np.savez("bad_extra.npz", **bad)
bad = dict(good); del bad["b1"]
np.savez("bad_missing.npz", **bad)
