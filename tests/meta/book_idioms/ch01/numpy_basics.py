# §1.5: the NumPy habits as the book shows them.

def elementwise_product(A, B):
    return A * B


def matrix_product(A, B):
    return np.dot(A, B)


def scale_rows(X, s):
    return X * s.reshape(s.size, 1)


def normalize_rows(X):
    row_sum = np.sum(X, axis=1, keepdims=True)
    return X / row_sum


def pick_per_row(Y, t):
    batch_size = Y.shape[0]
    return Y[np.arange(batch_size), t]


def elements_above(X, threshold):
    return X[X > threshold]


def clip_below(X, low):
    # the book's Relu.forward idiom: copy, then write through the mask
    mask = (X < low)
    out = X.copy()
    out[mask] = low
    return out
