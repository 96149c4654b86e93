"""`scanner peers`: the doors nearby (what the door running here last heard), this door's peer
settings, and pairing by hand for an event with no internet at all."""

from __future__ import annotations

import argparse

from scanner.app.technician import DataFile, PeerSettingError
from scanner.cli import exits
from scanner.cli.commands import Commands
from scanner.cli.exits import CliError
from scanner.cli.output import emit
from scanner.cli.sync_commands import _data as data_file


def register(commands: Commands) -> None:
    p = commands.add_parser("peers")
    switch = p.add_mutually_exclusive_group()
    switch.add_argument("--on", action="store_true", help="tell the doors nearby (the default)")
    switch.add_argument("--off", action="store_true", help="keep this door alone on the network")
    p.add_argument(
        "--interface",
        help='where to listen and announce: "all" (default), "loopback", an address or a name',
    )
    p.add_argument("--port", type=int, help="the TCP port (default 47820; 0: any free one)")
    p.add_argument("--add", action="append", metavar="HOST:PORT", help="a door given by hand")
    p.add_argument("--remove", action="append", metavar="HOST:PORT")
    p.add_argument("--discovery", choices=("on", "off"), help="multicast DNS (default on)")
    pairing = p.add_mutually_exclusive_group()
    pairing.add_argument(
        "--pair-new", action="store_true", help="make a pairing secret and keep it (a lead's door)"
    )
    pairing.add_argument("--pair", metavar="SECRET", help="keep the secret a lead's door made")
    p.set_defaults(func=run_peers)


def run_peers(args: argparse.Namespace) -> int:
    with data_file(args) as data:
        try:
            _change(data, args)
        except PeerSettingError as exc:
            raise CliError(str(exc), exits.USAGE) from None
        for line in data.peer_lines():
            emit(line)
    return exits.OK


def _change(data: DataFile, args: argparse.Namespace) -> None:
    changing = (args.interface, args.port, args.add, args.remove, args.discovery)
    if args.on or args.off or any(value is not None for value in changing):
        data.change_peer_settings(
            on=True if args.on else False if args.off else None,
            interface=args.interface,
            port=args.port,
            add=args.add,
            remove=args.remove,
            discovery=None if args.discovery is None else args.discovery == "on",
        )
    if args.pair_new or args.pair:
        secret = data.pair(None if args.pair_new else args.pair)
        emit(f"paired: type this at every other door of the event: scanner peers --pair {secret}")
