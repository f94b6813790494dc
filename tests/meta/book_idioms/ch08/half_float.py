# §8.3.4: the book's half_float_network.py idiom: round to float16 and store back into the float64 arrays.

def to_float16(a):
    return a.astype(np.float16).astype(a.dtype)


def half_precision_accuracy(network, x, t, batch_size=100):
    x = x.astype(np.float16)
    for param in network.params.values():
        param[...] = param.astype(np.float16)
    return network.accuracy(x, t, batch_size=batch_size)
