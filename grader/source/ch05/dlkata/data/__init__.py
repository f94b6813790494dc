"""Real data shipped by packages, never downloaded: the 8×8 digits (scikit-learn) and the book's MNIST files."""
from dlkata.data.digits import load_digits
from dlkata.data.mnist import load_mnist

__all__ = ["load_digits", "load_mnist"]
