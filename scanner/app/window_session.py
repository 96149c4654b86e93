"""The door session a window or kiosk runs on: this door's own, or (--demo) one enrolled with a
demo site on this machine, with a synthetic camera. The caller shows it; closing is done here.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from scanner.app.neighbours import ENV_INTERFACE
from scanner.app.session import DoorSession

DEMO_CAMERA = "synthetic:loop=1,hold=30,gap=25"


@contextlib.contextmanager
def demo_session(args: argparse.Namespace) -> Iterator[DoorSession]:
    from scanner.app.demo_site import demo_site  # the demo extra: the companion API's parts

    # the demo's doors hear each other on this machine only (two demo windows find each other)
    os.environ[ENV_INTERFACE] = "loopback"
    with tempfile.TemporaryDirectory(prefix="scanner-demo-") as tmp:
        folder = Path(tmp)
        (folder / "server").mkdir()
        with demo_site(folder / "server") as site:
            data = Path(args.data_dir) if args.data_dir else folder / "door"
            session = DoorSession(data, door=args.door, exit=args.exit)
            try:
                state = session.setup.enroll(site.url, site.enrolment_code, "Demo laptop").result(
                    timeout=120
                )
                print(f"demo: companion API at {site.url}, device {state.link}", file=sys.stderr)
                session.camera.open(args.source or DEMO_CAMERA, codes=site.codes)
                yield session
            finally:
                session.close()


@contextlib.contextmanager
def door_session(args: argparse.Namespace) -> Iterator[DoorSession]:
    session = DoorSession(args.data_dir, door=args.door, exit=args.exit)
    try:
        spec = args.source or session.preferences().camera
        if spec:
            session.camera.open(spec)
        yield session
    finally:
        session.close()
