"""The package's replacement for OpenCV's OpenBLAS (packaging/blas_shim.py): built the way
`make package` builds it, against this venv's cv2 and numpy, it answers every BLAS and LAPACK
routine OpenCV calls, with the results OpenCV's own OpenBLAS gives."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
import blas_shim
import elf

from tests.packaging.site_copy import SITE, copy_site

PROBE = Path(__file__).with_name("linalg_probe.py")

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or any(shutil.which(t) is None for t in elf.TOOLS),
    reason="the shim is built on Linux, with cc, nm and readelf",
)


@pytest.fixture(scope="module")
def shimmed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """cv2 and numpy as a build bundles them, with the shim in place of OpenCV's OpenBLAS."""
    site = copy_site(tmp_path_factory.mktemp("site"))
    said = blas_shim.replace(site)
    assert said.startswith("OpenCV's OpenBLAS now calls numpy's"), said
    return site


def _probe(out: Path, site: Path | None, bindings: Path | None = None) -> dict[str, np.ndarray]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    if site is not None:
        env["PYTHONPATH"] = str(site)
    if bindings is not None:
        env |= {"LD_DEBUG": "bindings", "LD_DEBUG_OUTPUT": str(bindings)}
    subprocess.run([sys.executable, str(PROBE), str(out)], env=env, check=True, timeout=300)
    with np.load(out) as saved:
        return {key: saved[key] for key in saved.files}


def test_the_shim_takes_the_place_of_opencvs_openblas_and_its_fortran_runtime(
    shimmed: Path,
) -> None:
    libs = {p.name for p in (shimmed / "opencv_python_headless.libs").iterdir()}
    assert not any(name.startswith(("libgfortran", "libquadmath")) for name in libs)
    layout = blas_shim.find(shimmed)
    assert not isinstance(layout, str)
    assert layout.opencv_blas.stat().st_size < 100_000
    assert layout.numpy_blas.name in elf.needed(layout.opencv_blas)


def test_every_routine_opencv_calls_gives_what_opencvs_own_openblas_gives(
    shimmed: Path, tmp_path: Path
) -> None:
    expected = _probe(tmp_path / "original.npz", None)
    bindings = tmp_path / "bindings"
    got = _probe(tmp_path / "shimmed.npz", shimmed, bindings)

    assert str(got.pop("cv2_file")).startswith(str(shimmed))
    expected.pop("cv2_file")
    for key, value in expected.items():
        tolerance = 1e-3 if key.startswith("float32") else 1e-8
        np.testing.assert_allclose(got[key], value, rtol=tolerance, atol=tolerance, err_msg=key)

    # Every routine cv2 takes from the library was reached, and answered by the shim.
    shim_name = re.escape(blas_shim.find(shimmed).opencv_blas.name)  # type: ignore[union-attr]
    logged = "".join(p.read_text() for p in tmp_path.glob("bindings*"))
    reached = set(re.findall(rf"to \S*{shim_name} \[0\]: normal symbol `(\w+)'", logged))
    layout = blas_shim.find(SITE)
    assert not isinstance(layout, str)
    wanted = elf.undefined(layout.cv2) & elf.defined(layout.opencv_blas)
    assert len(wanted) == 19
    assert reached == wanted
