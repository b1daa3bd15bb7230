"""The one error boundary: every layer raises a LambdaPrepError subclass; the CLI prints it in one place.

Each error carries what the user needs: its exit code (lambda_prep.exit_codes), a message saying what
is wrong, and optional advice saying what to do. The library never prints and never exits; the CLI's
command group (cli._Boundary) catches LambdaPrepError once, for every command, and prints
"Error: <message>" then the advice on stderr, and exits with the code. This is httpie's ExitStatus
mapping and pipx's single PipxError handler; it means a damaged database found at any point of any
command (opening it, or a bad row read half-way through) is reported the same way, never a traceback.

Cheap to import (no third-party modules): the CLI imports it at start-up.
"""

from __future__ import annotations

from lambda_prep.exit_codes import ExitCode


class LambdaPrepError(Exception):
    """Something the user must know about; the message says what, the advice what to do."""

    exit_code: ExitCode = ExitCode.ERROR
    label = "Error: "  # printed before the message

    def __init__(self, message: str, *, advice: str | None = None):
        super().__init__(message)
        self.message = message
        self.advice = advice

    def __str__(self) -> str:
        return self.message if not self.advice else f"{self.message} {self.advice}"


class UsageError(LambdaPrepError):
    """A wrong argument or input; the message says what is valid (exit 2)."""

    exit_code = ExitCode.USAGE


class Interrupted(LambdaPrepError):
    """Ctrl-C: stop now; whatever was saved stays saved (exit 130). The message says what was kept."""

    exit_code = ExitCode.INTERRUPTED
    label = ""


class EndOfInput(Exception):
    """Input closed while a prompt was waiting (plain mode, or Ctrl-D at a prompt): the quiz ends cleanly.

    Not a LambdaPrepError: it is a normal way for a session to end, handled by the session.
    """
