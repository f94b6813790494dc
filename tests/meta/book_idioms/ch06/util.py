# §6.5.1: the split of the book's hyperparameter_optimization.py (shuffle, then the first part is validation).

def split_validation(x, t, validation_rate=0.2, rng=None):
    validation_num = int(x.shape[0] * validation_rate)
    x, t = shuffle_dataset(x, t, rng)
    x_val = x[:validation_num]
    t_val = t[:validation_num]
    x_train = x[validation_num:]
    t_train = t[validation_num:]
    return (x_train, t_train), (x_val, t_val)
