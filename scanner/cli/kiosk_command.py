"""`scanner kiosk ...`: the lead PIN, the staff QR code, kiosk settings, and autostart."""

from __future__ import annotations

import argparse
import getpass
import shlex
import subprocess
import sys
from pathlib import Path

from scanner.app import autostart, kiosk
from scanner.cli import exits
from scanner.cli.commands import Commands
from scanner.cli.context import session_for
from scanner.cli.exits import CliError
from scanner.cli.output import emit
from scanner.lang import LANGUAGES
from scanner.private_files import create_private


def register(commands: Commands) -> None:
    group = commands.add_parser("kiosk")
    sub = group.add_subparsers(dest="kiosk_command", required=True, metavar="ACTION")
    pin = sub.add_parser("set-pin", help="set the lead PIN that opens the staff menu")
    pin.add_argument("--stdin", action="store_true", help="read the PIN from standard input")
    pin.set_defaults(func=run_set_pin)
    code = sub.add_parser("staff-code", help="the staff QR code's text (and a PNG of it)")
    code.add_argument("--png", type=Path, help="write the QR code to this PNG file")
    code.add_argument("--stdin", action="store_true", help="read the PIN from standard input")
    code.set_defaults(func=run_staff_code)
    settings = sub.add_parser("settings", help="show or change the kiosk's settings")
    on_off = settings.add_mutually_exclusive_group()
    on_off.add_argument("--on", dest="enabled", action="store_true", default=None)
    on_off.add_argument("--off", dest="enabled", action="store_false")
    settings.add_argument("--names", choices=[n.value for n in kiosk.Names])
    settings.add_argument("--admitted-s", type=float, help="seconds an admission stays")
    settings.add_argument("--refused-s", type=float, help="seconds a refusal stays")
    settings.add_argument("--language", choices=[*LANGUAGES, "system"])
    settings.set_defaults(func=run_settings)
    auto = sub.add_parser("install-autostart", help="start the kiosk with the session, always")
    auto.add_argument("--source", metavar="SPEC", help="camera spec for the kiosk")
    auto.add_argument("--enable", action="store_true", help="also run systemctl --user enable")
    auto.set_defaults(func=run_install_autostart)


NO_TERMINAL = "no terminal to ask for the lead PIN: give it on standard input with --stdin"


def _read_pin(args: argparse.Namespace, confirm: bool) -> str:
    if args.stdin:
        return sys.stdin.readline().strip()
    if not sys.stdin.isatty():  # a script, a service: getpass would read nothing
        raise CliError(NO_TERMINAL, exits.USAGE)
    try:
        pin = getpass.getpass("Lead PIN: ")
        if confirm and getpass.getpass("Again: ") != pin:
            raise CliError("the two PINs differ; nothing changed", exits.USAGE)
    except EOFError:  # the terminal went away (Ctrl-D)
        raise CliError(NO_TERMINAL, exits.USAGE) from None
    return pin


def run_set_pin(args: argparse.Namespace) -> int:
    pin = _read_pin(args, confirm=True)
    problem = kiosk.pin_problem(pin)
    if problem is not None:
        raise CliError(problem, exits.USAGE)
    with session_for(args) as session:
        session.set_lead_pin(pin)
    emit("lead PIN set (kept as a salted scrypt hash)")
    return exits.OK


def run_staff_code(args: argparse.Namespace) -> int:
    pin = _read_pin(args, confirm=False)
    with session_for(args) as session:
        stored = session.lead_pin()
    if stored is None:
        raise CliError("no lead PIN yet: run `scanner kiosk set-pin` first", exits.NO_EVENT)
    if not kiosk.pin_matches(pin, stored):
        raise CliError("that is not the lead PIN", exits.REFUSED)
    text = kiosk.staff_code(pin)
    if args.png is not None:
        try:
            import segno
        except ImportError:
            raise CliError(
                "writing a PNG needs segno (pip install segno)", exits.NOT_FOUND
            ) from None
        try:  # the lead PIN in clear: this user's only, from its first byte
            with create_private(args.png) as out:
                segno.make_qr(text, error="m").save(out, kind="png", scale=10, border=4)
        except OSError as exc:
            raise CliError(f"{args.png}: cannot write ({exc.strerror})", exits.DATA_FILE) from None
        emit(f"staff code written to {args.png}: keep it with the lead, it opens the kiosk")
    else:
        emit(text)
    return exits.OK


def run_settings(args: argparse.Namespace) -> int:
    changes: dict[str, object] = {}
    for name in ("enabled", "names", "admitted_s", "refused_s"):
        value = getattr(args, name)
        if value is not None:
            changes[name] = value
    for name in ("admitted_s", "refused_s"):
        if name in changes and not 1 <= float(str(changes[name])) <= 120:
            raise CliError("hold times are 1 to 120 seconds", exits.USAGE)
    if args.language is not None:
        changes["language"] = "" if args.language == "system" else args.language
    with session_for(args) as session:
        if changes:
            session.save_kiosk_settings(**changes)
        current = session.kiosk_settings()
    for key, value in vars(current).items():
        emit(f"{key}: {value if value not in (None, '') else 'system'}")
    return exits.OK


def run_install_autostart(args: argparse.Namespace) -> int:
    folder = kiosk.kiosk_folder(args.data_dir)
    done = autostart.install(folder.resolve(), args.source)
    emit(f"systemd user unit: {done.unit}")
    emit(f"XDG autostart entry: {done.desktop}")
    emit(f"starts: {shlex.join(done.command)}")
    if args.enable:
        if done.systemctl is None:
            raise CliError(
                "systemctl not found: the XDG autostart entry will start it", exits.NOT_FOUND
            )
        for step in (["daemon-reload"], ["enable", autostart.UNIT_NAME]):
            result = subprocess.run(
                [done.systemctl, "--user", *step], capture_output=True, text=True
            )
            if result.returncode != 0:
                raise CliError(
                    f"systemctl --user {' '.join(step)}: {result.stderr.strip()}", exits.INTERNAL
                )
        emit("enabled: it starts with the next graphical session")
    else:
        emit(f"enable it with: systemctl --user enable {autostart.UNIT_NAME}")
    return exits.OK
