# Writes the majority data set: 4,000 random bit sequences of 11 steps; label 1 when at least 6 of the 11 bits are 1.
import gzip, struct, numpy as np
rng = np.random.default_rng(20261130)
n, T = 4000, 11
bits = rng.integers(0, 2, size=(n, T), dtype=np.uint8)
labels = (bits.sum(axis=1) >= 6).astype(np.uint8)
def write(path, magic, dims, data):
    with gzip.GzipFile(path, 'wb', mtime=0) as f:
        f.write(struct.pack('>I', magic))
        for d in dims: f.write(struct.pack('>I', d))
        f.write(data.tobytes())
write('examples/data/majority-images-idx3-ubyte.gz', 0x00000803, (n, T, 1), (bits * 255).astype(np.uint8))
write('examples/data/majority-labels-idx1-ubyte.gz', 0x00000801, (n,), labels)
print(labels.mean(), bits.sum())
