import os
import sys

# Kata tests use small matrices: BLAS threads only add overhead (and fight the two
# chapters the runner tests in parallel). Set before numpy is first imported.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from dlkata.cli import main  # noqa: E402

sys.exit(main())
