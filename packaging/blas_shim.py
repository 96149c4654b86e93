"""OpenCV's own OpenBLAS replaced by a small library that calls numpy's (Linux builds; -42 MB).

opencv-python's wheel brings OpenBLAS 0.3.15 for every CPU with its libgfortran and libquadmath
(42 MB) for 19 BLAS/LAPACK routines (`cblas_?gemm`, `?gesv_`, `?gesdd_`, ...); numpy's wheel
brings another OpenBLAS (28 MB) that has all of them, built for 64-bit integers under other
names. `blas_shim/opencv_lapack_ilp64.c` answers OpenCV's calls with numpy's copy; this step
compiles it under the file name and SONAME cv2 links, checks it defines every routine cv2 takes
from the original, and drops the original (and its Fortran runtime, when nothing else needs it).

Nothing of OpenCV is lost: the door's own paths never reach LAPACK (OpenCV uses it only for
matrices larger than about 100 x 100), and `tests/packaging/test_blas_shim.py` checks every
routine through cv2 against numpy. Needs `cc`, `nm` and `readelf`; without them, or when either
wheel's layout is not the one expected, the original stays and the build says why.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import elf

SOURCE = Path(__file__).resolve().parent / "blas_shim" / "opencv_lapack_ilp64.c"
# numpy's OpenBLAS (scipy-openblas64): scipy_cblas_sgemm64_, scipy_sgesv_64_.
NUMPY_NAMING = "scipy_##name##64_"
NUMPY_PROBE = "scipy_cblas_sgemm64_"


@dataclass(frozen=True)
class Layout:
    """Where the three libraries of a build (or of a site-packages folder) are."""

    cv2: Path  # cv2.abi3.so
    opencv_blas: Path  # opencv_python_headless.libs/libopenblas*.so
    numpy_blas: Path  # numpy.libs/libscipy_openblas64_*.so


def find(root: Path) -> Layout | str:
    """The libraries under `root` (a build's `_internal` or a site-packages), or why not."""
    found = {
        "cv2": sorted(root.glob("cv2/cv2*.so")),
        "OpenCV's OpenBLAS": sorted(root.glob("opencv_python*.libs/libopenblas*.so*")),
        "numpy's OpenBLAS": sorted(root.glob("numpy.libs/libscipy_openblas64_*.so*")),
    }
    missing = [name for name, paths in found.items() if len(paths) != 1]
    if missing:
        return f"not exactly one {', '.join(missing)} under {root}"
    cv2, opencv_blas, numpy_blas = (paths[0] for paths in found.values())
    return Layout(cv2, opencv_blas, numpy_blas)


def replace(root: Path) -> str:
    """Put the shim in place of OpenCV's OpenBLAS under `root`; says what it did (or why not)."""
    missing = [tool for tool in elf.TOOLS if shutil.which(tool) is None]
    if missing:
        return f"OpenCV's OpenBLAS kept (42 MB more): {', '.join(missing)} not found"
    layout = find(root)
    if isinstance(layout, str):
        return f"OpenCV's OpenBLAS kept: {layout}"
    with tempfile.TemporaryDirectory() as tmp:
        shim = Path(tmp) / layout.opencv_blas.name
        problem = build(layout, shim)
        if problem:
            return f"OpenCV's OpenBLAS kept: {problem}"
        folder = layout.opencv_blas.parent
        before = elf.folder_size(folder)
        # Its libgfortran and that one's libquadmath go too, when nothing else links them.
        for name in elf.only_needed_by([layout.opencv_blas.name], folder, root):
            (folder / name).unlink()  # never write through a hard link
        shutil.copyfile(shim, layout.opencv_blas)
    after = elf.folder_size(folder)
    return f"OpenCV's OpenBLAS now calls numpy's: {(before - after) / 1e6:.1f} MB less"


def build(layout: Layout, out: Path) -> str | None:
    """Compile the shim for `layout` to `out`; None, or what is wrong."""
    if NUMPY_PROBE not in elf.defined(layout.numpy_blas):
        return f"{layout.numpy_blas.name} does not name its routines {NUMPY_NAMING}"
    relative = Path("..") / layout.numpy_blas.parent.name
    subprocess.run(
        ["cc", "-shared", "-fPIC", "-O2", f"-DNUMPY_BLAS(name)={NUMPY_NAMING}",
         f"-Wl,-soname,{layout.opencv_blas.name}", f"-Wl,-rpath,$ORIGIN/{relative}",
         "-o", str(out), str(SOURCE), f"-L{layout.numpy_blas.parent}",
         f"-l:{layout.numpy_blas.name}"],
        check=True, capture_output=True,
    )  # fmt: skip
    wanted = elf.undefined(layout.cv2) & elf.defined(layout.opencv_blas)
    lacking = sorted(wanted - elf.defined(out))
    if lacking:
        return f"cv2 takes {', '.join(lacking)} from it, which the shim does not define"
    return None
