"""The .deb and .tar.gz as `packaging/build.py` makes them, around a stand-in app folder (the
real build takes minutes; CI's smoke test installs nothing but checks the real .deb the same way).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import build  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="needs dpkg-deb")


@pytest.fixture
def app(tmp_path: Path) -> Path:
    folder = tmp_path / "door-scanner"
    (folder / "_internal").mkdir(parents=True)
    executable = folder / "door-scanner"
    executable.write_text("#!/bin/sh\necho door-scanner\n")
    executable.chmod(0o755)
    (folder / "_internal" / "libzbar.so.0").write_bytes(b"\x7fELF")
    (folder / "door-scanner.svg").write_text("<svg/>")
    # As a build machine leaves it: a group-writable folder and file, owned by a user account.
    (folder / "_internal").chmod(0o775)
    (folder / "_internal" / "libzbar.so.0").chmod(0o664)
    if os.geteuid() == 0:
        for path in (folder, *folder.rglob("*")):
            os.lchown(path, 1000, 1000)
    return folder


def _field(control: str, name: str) -> str:
    line = next(line for line in control.splitlines() if line.startswith(f"{name}:"))
    return line.split(":", 1)[1].strip()


def test_the_deb_declares_what_it_needs(app: Path, tmp_path: Path) -> None:
    package = build.deb(app, "1.2.3", tmp_path)
    assert package.name == f"door-scanner_1.2.3_{build.arch()}.deb"
    control = _dpkg_deb("--field", package)
    assert _field(control, "Package") == "door-scanner"
    assert _field(control, "Version") == "1.2.3"
    depends = [d.strip() for d in _field(control, "Depends").split(",")]
    for needed in ("libpulse0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0"):
        assert needed in depends
    assert "libxkbcommon-x11-0" in depends and "libegl1" in depends
    assert int(_field(control, "Installed-Size")) >= 0


def test_the_deb_installs_to_opt_with_a_command_and_a_menu_entry(app: Path, tmp_path: Path) -> None:
    package = build.deb(app, "1.2.3", tmp_path)
    listing = _dpkg_deb("--contents", package)
    assert "./opt/door-scanner/door-scanner" in listing
    assert "./opt/door-scanner/_internal/libzbar.so.0" in listing
    assert "./usr/bin/door-scanner -> /opt/door-scanner/door-scanner" in listing
    assert "./usr/share/applications/door-scanner.desktop" in listing
    assert "./usr/share/icons/hicolor/scalable/apps/door-scanner.svg" in listing
    assert {line.split()[1] for line in listing.splitlines() if line.strip()} == {"root/root"}
    writable = [line for line in listing.splitlines() if line[:10][5] == "w" or line[:10][8] == "w"]
    assert writable == [line for line in listing.splitlines() if line.startswith("l")]
    unpacked = tmp_path / "unpacked"
    subprocess.run(["dpkg-deb", "-x", str(package), str(unpacked)], check=True)
    entry = (unpacked / "usr/share/applications/door-scanner.desktop").read_text()
    assert "Exec=door-scanner window" in entry and "Icon=door-scanner" in entry
    if shutil.which("desktop-file-validate"):
        subprocess.run(
            [
                "desktop-file-validate",
                str(unpacked / "usr/share/applications/door-scanner.desktop"),
            ],
            check=True,
        )


def test_removing_the_package_leaves_users_data(app: Path, tmp_path: Path) -> None:
    package = build.deb(app, "1.2.3", tmp_path)
    scripts = tmp_path / "control"
    subprocess.run(["dpkg-deb", "-e", str(package), str(scripts)], check=True)
    for name in ("postinst", "postrm"):
        text = (scripts / name).read_text()
        assert os.access(scripts / name, os.X_OK)
        assert "rm " not in text and "/home" not in text and ".local" not in text
    uninstall = (ROOT / "packaging/linux/uninstall.sh").read_text()
    assert ".local" not in uninstall.replace("data in each user's ~/.local/share/door-scanner", "")


def test_the_tarball_holds_the_folder_and_its_install_scripts(app: Path, tmp_path: Path) -> None:
    archive = build.tarball(app, "1.2.3", tmp_path)
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {
        "door-scanner/door-scanner",
        "door-scanner/install.sh",
        "door-scanner/uninstall.sh",
    } <= names


def test_both_archives_are_owned_by_root_and_writable_by_it_alone(
    app: Path, tmp_path: Path
) -> None:
    addon = tmp_path / "door-scanner-video"
    (addon / "_internal").mkdir(parents=True)
    (addon / "_internal" / "libavcodec.so.62").write_bytes(b"\x7fELF")
    (addon / "_internal" / "libavcodec.so.62").chmod(0o666)
    for archive in (
        build.tarball(app, "1.2.3", tmp_path),
        build.addon_tarball(addon, "1.2.3", tmp_path),
    ):
        with tarfile.open(archive) as tar:
            members = tar.getmembers()
        assert members and {(m.uid, m.gid, m.uname, m.gname) for m in members} == {
            (0, 0, "root", "root")
        }
        assert [m.name for m in members if m.mode & 0o022] == []
    executable = next(m for m in members if m.name == "door-scanner/_internal/libavcodec.so.62")
    assert executable.mode & 0o777 == 0o644


@pytest.mark.skipif(os.geteuid() != 0, reason="install.sh runs as root")
def test_install_sh_puts_a_root_owned_copy_in_opt_whoever_unpacked_it(
    app: Path, tmp_path: Path
) -> None:
    archive = build.tarball(app, "1.2.3", tmp_path)
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    for path in (unpacked, *unpacked.rglob("*")):  # as a user account's `tar x` leaves it
        os.lchown(path, 1000, 1000)
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o020)
    root = tmp_path / "root"
    subprocess.run(
        ["sh", str(unpacked / "door-scanner" / "install.sh")],
        env={**os.environ, "DESTDIR": str(root)},
        check=True,
        capture_output=True,
    )
    installed = root / "opt" / "door-scanner"
    for path in (installed, *installed.rglob("*")):
        status = path.lstat()
        assert (status.st_uid, status.st_gid) == (0, 0), path
        assert path.is_symlink() or not status.st_mode & 0o022, path
    assert os.access(installed / "door-scanner", os.X_OK)
    assert oct((installed / "_internal" / "libzbar.so.0").stat().st_mode & 0o777) == "0o644"
    link = root / "usr" / "local" / "bin" / "door-scanner"
    assert os.readlink(link) == "/opt/door-scanner/door-scanner"


def _dpkg_deb(option: str, package: Path) -> str:
    done = subprocess.run(
        ["dpkg-deb", option, str(package)], capture_output=True, text=True, check=True
    )
    return done.stdout
