"""Tests for ch06/optimizer.py (§6.1), grouped by kata.

Known values: from 0 with lr=0.1 and a constant gradient of 1, the first three
positions of each optimizer (book facts, §6.1; recomputed by hand below).
A varying gradient is checked against trusted implementations written here in
another (equivalent) form.
"""
import warnings

import numpy as np
import pytest

from ch06.optimizer import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop
from dlkata.testing import expect_close, expect_equal, expect_true, kata, rng, say

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

EPS = 1e-7
SQ = np.sqrt


def _rmsprop_book():
    h, p, out = 0.0, 0.0, []
    for _ in range(3):
        h = 0.99 * h + 0.01
        p -= 0.1 / (SQ(h) + EPS)
        out.append(p)
    return out


# From 0, lr=0.1, gradient 1 at every step (book facts: -0.1, -0.29, -0.561 ...).
BOOK_STEPS = {
    "SGD": [-0.1, -0.2, -0.3],
    "Momentum": [-0.1, -0.29, -0.561],
    "Nesterov": [-0.19, -0.461, -0.8049],
    "AdaGrad": [-0.1 / (1 + EPS), -0.1 / (1 + EPS) - 0.1 / (SQ(2) + EPS),
                -0.1 / (1 + EPS) - 0.1 / (SQ(2) + EPS) - 0.1 / (SQ(3) + EPS)],   # ≈ -0.1, -0.1707, -0.2284
    "RMSprop": _rmsprop_book(),                                                   # ≈ -0.999999, -1.70888, -2.289128
    "Adam": [-0.1, -0.2, -0.3],   # bias correction makes each early step ≈ lr (rtol 1e-5 below)
}
CLASSES = {"SGD": SGD, "Momentum": Momentum, "Nesterov": Nesterov, "AdaGrad": AdaGrad,
           "RMSprop": RMSprop, "Adam": Adam}


def _three_steps(name, rtol=1e-9):
    opt = CLASSES[name](lr=0.1)
    params = {"W": np.zeros(3)}
    for step, want in enumerate(BOOK_STEPS[name], start=1):
        opt.update(params, {"W": np.ones(3)})
        if not expect_close(params["W"], np.full(3, want), rtol=rtol,
                            call=say(f"{name}(lr=0.1): W=0 から勾配 1 で {step} 回目の update", f"{name}(lr=0.1): update {step} from W=0 with gradient 1"),
                            note=("この 1 歩のあとの W (呼ぶたびに前回の状態から続けます)",
                                  "W after this step (each call must continue from the state left by the last)")):
            return


def _varying_grads(seed, steps=4):
    r = rng(seed)
    out = []
    for _ in range(steps):
        g = {"W": r.uniform(0.5, 2.0, (2, 3)) * r.choice([-1.0, 1.0], (2, 3)),
             "b": r.uniform(0.5, 2.0, 3) * r.choice([-1.0, 1.0], 3)}
        out.append(g)
    return out


def _start(seed):
    r = rng(seed)
    return {"W": r.standard_normal((2, 3)), "b": r.standard_normal(3)}


def _run(opt, params, grads_seq):
    for g in grads_seq:
        opt.update(params, {k: v.copy() for k, v in g.items()})
    return params


def _trusted(kind, params, grads_seq, lr, **kw):
    """Trusted optimizers in a different but equivalent form; returns the final params."""
    p = {k: v.copy() for k, v in params.items()}
    mu = kw.get("momentum", 0.9)
    b1, b2 = kw.get("beta1", 0.9), kw.get("beta2", 0.999)
    state = {k: {"v": np.zeros_like(v), "h": np.zeros_like(v), "m": np.zeros_like(v)} for k, v in p.items()}
    for t, g in enumerate(grads_seq, start=1):
        for k in p:
            s, gk = state[k], g[k]
            if kind == "Momentum":
                s["v"] = mu * s["v"] - lr * gk
                p[k] = p[k] + s["v"]
            elif kind == "Nesterov":       # look-ahead form: W += μ·v_new − lr·g, v_new = μv − lr·g
                s["v"] = mu * s["v"] - lr * gk
                p[k] = p[k] + mu * s["v"] - lr * gk
            elif kind == "AdaGrad":
                s["h"] = s["h"] + gk ** 2
                p[k] = p[k] - lr * gk / (np.sqrt(s["h"]) + EPS)
            elif kind == "Adam":           # textbook m̂, v̂; the ε rescaled so it equals the book's form
                s["m"] = b1 * s["m"] + (1 - b1) * gk
                s["v"] = b2 * s["v"] + (1 - b2) * gk ** 2
                m_hat, v_hat = s["m"] / (1 - b1 ** t), s["v"] / (1 - b2 ** t)
                p[k] = p[k] - lr * m_hat / (np.sqrt(v_hat) + EPS / np.sqrt(1 - b2 ** t))
    return p


def _check_varying(name, seed, **kw):
    start, grads = _start(seed), _varying_grads(seed + 1)
    got = _run(CLASSES[name](**kw), {k: v.copy() for k, v in start.items()}, grads)
    want = _trusted(name, start, grads, **kw)
    args = ", ".join(f"{k}={v}" for k, v in kw.items())
    for key in ("W", "b"):
        expect_close(got[key], want[key], rtol=1e-9,
                     call=say(f"{name}({args}): 勾配を変えながら 4 回 update -> params['{key}']", f"{name}({args}): 4 updates with changing gradients -> params['{key}']"))


def _in_place(name, **kw):
    """The update must change the arrays it was given, not put new arrays into the dict."""
    params = _start(3)
    W, b = params["W"], params["b"]
    before = W.copy()
    layer_W = W  # what an Affine layer holds: the very same array
    grads = _varying_grads(4, steps=1)[0]
    grads_before = {k: v.copy() for k, v in grads.items()}
    opt = CLASSES[name](**kw)
    opt.update(params, grads)
    opt.update(params, grads)
    expect_true(params["W"] is W and params["b"] is b, call=f"{name}().update(params, grads)",
                note=("params['W'] は同じ配列オブジェクトのまま、その場で変えます (params[key] = params[key] - ... ではなく params[key] -= ...): ネットワークのレイヤがその配列を持っています",
                      "params['W'] must stay the same array object, changed in place (params[key] -= ..., "
                      "not params[key] = params[key] - ...): the network's layers hold that array"))
    expect_true(not np.allclose(layer_W, before), call=f"{name}().update(params, grads)",
                note=("レイヤが持つ配列が変わっていません: これではレイヤは学習しません",
                      "the array the layer holds did not change: the layer would never learn"))
    for key in grads:
        expect_equal(grads[key], grads_before[key], call=f"{name}().update(params, grads)",
                     note=(f"grads['{key}'] を変えてはいけません", f"grads['{key}'] must not be modified"))


def _floats(name, **kw):
    """Plain Python floats in params and grads (the book's §6.1.7 script does this)."""
    opt_f, opt_a = CLASSES[name](**kw), CLASSES[name](**kw)
    pf = {"x": -7.0, "y": 2.0}
    pa = {"x": np.array([-7.0]), "y": np.array([2.0])}
    for gx, gy in [(-0.7, 4.0), (-0.5, -3.0), (0.25, 1.5)]:
        opt_f.update(pf, {"x": gx, "y": gy})
        opt_a.update(pa, {"x": np.array([gx]), "y": np.array([gy])})
    for key in ("x", "y"):
        expect_true(np.ndim(pf[key]) == 0, call=say(f"{name}({kw}).update({{'x': -7.0, 'y': 2.0}}, float の勾配)",
                                                             f"{name}({kw}).update({{'x': -7.0, 'y': 2.0}}, float grads)"),
                    note=(f"params['{key}'] は 1 つの数のまま",
                          f"params['{key}'] must stay a single number"), actual=pf[key])
        expect_close(np.ravel(pf[key]), pa[key], rtol=1e-12,
                     call=say(f"{name}().update を float と要素 1 つの配列で: 3 回のあとの params['{key}']", f"{name}().update with floats vs with 1-element arrays: params['{key}'] after 3 steps"))


def _two_instances(name, **kw):
    """Two optimizers must not share state (state belongs to the instance, not the class)."""
    grads = _varying_grads(7)
    alone = _run(CLASSES[name](**kw), _start(5), grads)
    a, b = CLASSES[name](**kw), CLASSES[name](**kw)
    pa, pb = _start(5), _start(6)
    for g in grads:
        a.update(pa, {k: v.copy() for k, v in g.items()})
        b.update(pb, {k: -v for k, v in g.items()})
    expect_close(pa["W"], alone["W"], rtol=1e-12,
                 call=say(f"2 つの {name}() を交互に update: 1 つ目の params['W']", f"two {name}() objects updated in turn: the first one's params['W']"),
                 note=("結果は別の optimizer オブジェクトに左右されないこと (状態はキーごとに self に持つ)",
                       "the result must not depend on another optimizer object (keep state in self, per key)"))


def _zero_gradient(name, **kw):
    params = {"W": np.array([[1.0, -2.0], [0.5, 3.0]])}
    opt = CLASSES[name](**kw)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(all="warn"):
            opt.update(params, {"W": np.zeros((2, 2))})
    expect_true(not caught, call=say(f"{name}().update(params, 0 の勾配)", f"{name}().update(params, zero grads)"),
                note=("勾配が 0 でも警告を出さないこと (0/0): 平方根に 1e-7 を足しましょう",
                      "a zero gradient must not warn (0/0): add 1e-7 to the square root"),
                actual=[str(w.message) for w in caught])
    expect_close(params["W"], [[1.0, -2.0], [0.5, 3.0]], call=say(f"{name}().update(params, 0 の勾配)", f"{name}().update(params, zero grads)"),
                 note=("勾配が 0 なら W は変わらない (nan にならない)",
                       "a zero gradient must leave W unchanged (no nan)"))


@kata("ch06.sgd")
class TestSGD:
    def test_book_steps(self):
        _three_steps("SGD")

    def test_steps_downhill(self):
        params = {"W": np.array([1.0, -1.0])}
        SGD(lr=0.5).update(params, {"W": np.array([2.0, -4.0])})
        expect_close(params["W"], [0.0, 1.0], call="SGD(lr=0.5).update({'W': [1, -1]}, {'W': [2, -4]})",
                     note=("W − lr·grad: 勾配と逆向き", "W − lr·grad: against the gradient"))

    def test_default_lr(self):
        params = {"W": np.array([1.0])}
        SGD().update(params, {"W": np.array([1.0])})
        expect_close(params["W"], [0.99], call="SGD().update({'W': [1.0]}, {'W': [1.0]})",
        note=("lr の既定値は 0.01",
              "default lr is 0.01"))

    def test_in_place_and_floats(self):
        _in_place("SGD", lr=0.1)
        _floats("SGD", lr=0.95)


@kata("ch06.momentum")
class TestMomentum:
    def test_book_steps(self):
        _three_steps("Momentum")

    def test_changing_gradient(self):
        _check_varying("Momentum", 10, lr=0.1, momentum=0.9)
        _check_varying("Momentum", 11, lr=0.05, momentum=0.5)

    def test_in_place_floats_and_own_state(self):
        _in_place("Momentum", lr=0.1)
        _floats("Momentum", lr=0.1)
        _two_instances("Momentum", lr=0.1)


@kata("ch06.nesterov")
class TestNesterov:
    def test_book_steps(self):
        _three_steps("Nesterov")

    def test_changing_gradient(self):
        _check_varying("Nesterov", 20, lr=0.1, momentum=0.9)
        _check_varying("Nesterov", 21, lr=0.05, momentum=0.5)

    def test_in_place_floats_and_own_state(self):
        _in_place("Nesterov", lr=0.1)
        _floats("Nesterov", lr=0.1)
        _two_instances("Nesterov", lr=0.1)


@kata("ch06.adagrad")
class TestAdaGrad:
    def test_book_steps(self):
        _three_steps("AdaGrad", rtol=1e-6)

    def test_changing_gradient(self):
        _check_varying("AdaGrad", 30, lr=0.1)

    def test_zero_gradient(self):
        _zero_gradient("AdaGrad", lr=0.1)

    def test_in_place_floats_and_own_state(self):
        _in_place("AdaGrad", lr=0.1)
        _floats("AdaGrad", lr=1.5)
        _two_instances("AdaGrad", lr=0.1)


@kata("ch06.rmsprop")
class TestRMSprop:
    def test_book_steps(self):
        _three_steps("RMSprop", rtol=1e-6)

    def test_decay_rate(self):
        # h = (1 − ρ)g² = 0.5·4 = 2 after one step; W −= 0.1·2/(√2 + 1e-7)
        params = {"W": np.array([0.0])}
        RMSprop(lr=0.1, decay_rate=0.5).update(params, {"W": np.array([2.0])})
        expect_close(params["W"], [-0.2 / (np.sqrt(2.0) + EPS)], rtol=1e-6,
                     call="RMSprop(lr=0.1, decay_rate=0.5).update({'W': [0]}, {'W': [2]})")

    def test_zero_gradient(self):
        _zero_gradient("RMSprop", lr=0.1)

    def test_in_place_floats_and_own_state(self):
        _in_place("RMSprop", lr=0.1)
        _floats("RMSprop", lr=0.1)
        _two_instances("RMSprop", lr=0.1)


@kata("ch06.adam")
class TestAdam:
    def test_book_steps(self):
        _three_steps("Adam", rtol=1e-5)

    def test_changing_gradient(self):
        _check_varying("Adam", 40, lr=0.1)
        _check_varying("Adam", 41, lr=0.01, beta1=0.5, beta2=0.9)

    def test_first_step_is_lr_times_sign(self):
        params = {"W": np.array([1.0, 1.0, 1.0])}
        Adam().update(params, {"W": np.array([3.0, -0.5, 20.0])})
        expect_close(params["W"], [0.999, 1.001, 0.999], rtol=1e-6,
                     call="Adam().update({'W': [1, 1, 1]}, {'W': [3, -0.5, 20]})",
                     note=("バイアス補正があるので最初の 1 歩は lr·sign(g)、lr の既定値は 0.001",
                           "with bias correction the first step is lr·sign(g), default lr 0.001"))

    def test_zero_gradient(self):
        _zero_gradient("Adam", lr=0.1)

    def test_in_place_floats_and_own_state(self):
        _in_place("Adam", lr=0.1)
        _floats("Adam", lr=0.3)
        _two_instances("Adam", lr=0.1)



@kata("ch06.sgd", hidden=True)
class TestSGDAgain:
    def test_two_parameters(self):
        params = {"W": np.array([1.0, 2.0]), "b": np.array([-1.0])}
        SGD(lr=0.1).update(params, {"W": np.array([0.5, -1.0]), "b": np.array([2.0])})
        expect_close(params["W"], [0.95, 2.1], call="SGD(lr=0.1).update: W = [1, 2], grad [0.5, -1]")
        expect_close(params["b"], [-1.2], call="SGD(lr=0.1).update: b = [-1], grad [2]")
