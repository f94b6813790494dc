# §6.1.7: the loop of the book's optimizer_compare_naive.py, returning the positions.

def optimizer_path(optimizer, init_pos=(-7.0, 2.0), steps=30):
    params = {}
    params['x'], params['y'] = init_pos[0], init_pos[1]
    grads = {}
    grads['x'], grads['y'] = 0, 0
    x_history = []
    y_history = []
    for i in range(steps):
        x_history.append(params['x'])
        y_history.append(params['y'])
        grads['x'], grads['y'] = df(params['x'], params['y'])
        optimizer.update(params, grads)
    x_history.append(params['x'])
    y_history.append(params['y'])
    return np.array([x_history, y_history]).T
