"""The one set of exit codes every command uses."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1  # something is wrong: invalid bank, damaged database, nothing to do
    USAGE = 2  # a wrong argument or input; the message says what is valid
    INTERRUPTED = 130  # Ctrl-C; answers given so far are kept
    BROKEN_PIPE = 141  # the reader of our output went away (`stats | head -1`): 128 + SIGPIPE, as Unix tools
