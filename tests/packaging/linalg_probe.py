"""Runs in a child process: every OpenCV operation that reaches BLAS or LAPACK, on matrices large
enough that OpenCV hands them over (above about 100 x 100), results saved to the .npz named by
argv[1]. `test_blas_shim.py` runs it with OpenCV's own OpenBLAS and with the shim, and compares.
"""

from __future__ import annotations

import sys

import cv2
import numpy as np


def results() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(7)
    n = 160
    out: dict[str, np.ndarray] = {"cv2_file": np.array(cv2.__file__)}
    for kind in (np.float32, np.float64):
        name = np.dtype(kind).name
        a = rng.standard_normal((n, n)).astype(kind) + n * np.eye(n, dtype=kind)
        spd = (a @ a.T).astype(kind)
        b = rng.standard_normal((n, 3)).astype(kind)
        tall = rng.standard_normal((n + 40, n)).astype(kind)
        tall_b = rng.standard_normal((n + 40, 2)).astype(kind)
        complex_a = rng.standard_normal((n, n, 2)).astype(kind)
        solved = {
            "lu": cv2.solve(a, b, flags=cv2.DECOMP_LU)[1],  # ?gesv
            "svd": cv2.solve(a, b, flags=cv2.DECOMP_SVD)[1],  # ?gesdd
            "cholesky": cv2.solve(spd, b, flags=cv2.DECOMP_CHOLESKY)[1],  # ?posv
            "qr": cv2.solve(tall, tall_b, flags=cv2.DECOMP_QR)[1],  # ?gels
            "eig": cv2.solve(spd, b, flags=cv2.DECOMP_EIG)[1],
            "inverse_lu": cv2.invert(a, flags=cv2.DECOMP_LU)[1],
            "inverse_cholesky": cv2.invert(spd, flags=cv2.DECOMP_CHOLESKY)[1],
            "determinant": np.array(cv2.determinant(a) / 1e300),  # ?getrf
            "singular_values": cv2.SVDecomp(a)[0],
            "gemm": cv2.gemm(a, b, 1.0, None, 0.0),  # ?gemm
            "gemm_square": cv2.gemm(a, a, 1.0, None, 0.0),
            "complex_gemm": cv2.gemm(complex_a, complex_a, 1.0, None, 0.0),  # c/zgemm
            "eigen_non_symmetric": np.sort(cv2.eigenNonSymmetric(a)[0].ravel()),  # dgeev
            "pca": np.abs(cv2.PCACompute(tall, mean=None)[1][:3]),  # ?geqrf
        }
        out.update({f"{name}_{key}": value for key, value in solved.items()})
    return out


if __name__ == "__main__":
    np.savez(sys.argv[1], **results())
