"""Exit codes of the `scanner` command (documented in docs/cli.md)."""

OK = 0
REFUSED = 1  # a code or ticket was refused (verify-code, check); sync did not complete
USAGE = 2  # bad arguments or bad input text
NOT_FOUND = 3  # a file, camera or journal entry that is not there
IMPORT_REFUSED = 4  # an import file was refused as a whole; nothing changed
NO_EVENT = 5  # nothing imported yet
DATA_FILE = 6  # the data file cannot be opened (newer schema, damaged)
LOCKED = 7  # the server revoked this device: scanning stopped until `scanner reset`
INTERNAL = 70


class CliError(Exception):
    """A one-line message for stderr and the exit code that goes with it."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


# `doctor`: its exit code is its worst finding.
DOCTOR_WARNING = 8  # the door works, but something needs a look
DOCTOR_PROBLEM = 9  # something the door needs does not work
