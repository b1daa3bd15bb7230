"""The one place that knows about the terminal.

Whether stdin/stdout are terminals, colour (NO_COLOR, --no-color), width, prompts (questionary
when interactive, a plain numbered prompt reading lines from stdin otherwise), the pager and
progress bars. Everything else receives a Terminal and never looks at sys.stdout itself, so it can
be driven in tests without a terminal.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import IO, Sequence

from lambda_prep.errors import EndOfInput


@dataclass
class Terminal:
    stdin: IO[str] = field(default_factory=lambda: sys.stdin)
    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)
    interactive: bool | None = None  # None: decide from the streams
    no_color: bool = False

    def __post_init__(self) -> None:
        self.stdout_isatty = _isatty(self.stdout)
        self.stdin_isatty = _isatty(self.stdin)
        if self.interactive is None:
            self.interactive = self.stdin_isatty and self.stdout_isatty and os.environ.get("TERM") != "dumb"
        if os.environ.get("NO_COLOR"):
            self.no_color = True
        for stream in (self.stdout, self.stderr):
            _degrade_symbols(stream)
        self._console = None
        self._err_console = None

    # --- output -----------------------------------------------------------------------------

    @property
    def console(self):
        """A rich Console on stdout: styled in a terminal, plain text when piped."""
        if self._console is None:
            self._console = self._make_console(self.stdout, self.stdout_isatty)
        return self._console

    @property
    def err_console(self):
        if self._err_console is None:
            self._err_console = self._make_console(self.stderr, _isatty(self.stderr))
        return self._err_console

    def _make_console(self, stream: IO[str], isatty: bool):
        from rich.console import Console

        width = None if isatty else int(os.environ.get("COLUMNS", "100") or 100)
        console = Console(file=stream, no_color=self.no_color, force_terminal=isatty or None,
                          width=width, highlight=False,
                          emoji=False, color_system="auto" if isatty and not self.no_color else None)
        console.on_broken_pipe = _broken_pipe  # rich would exit 1 itself; the CLI's error boundary decides
        return console

    def echo(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def error(self, text: str) -> None:
        self.stderr.write(text + "\n")
        self.stderr.flush()

    def page(self, renderable, *, use_pager: bool = True) -> None:
        """Print, through a pager when in a terminal and the text is taller than the screen."""
        console = self.console
        if use_pager and self.stdout_isatty and self.stdin_isatty:
            with console.capture() as capture:
                console.print(renderable)
            text = capture.get()
            if text.count("\n") > console.size.height - 2:
                os.environ.setdefault("LESS", "-R -F -X")  # -R keeps colours, -F quits if it fits
                with console.pager(styles=True):
                    console.print(renderable)
                return
            self.stdout.write(text)
            self.stdout.flush()
            return
        console.print(renderable)

    def play(self, frames, *, seconds: float = 4.0) -> None:
        """Show frames one after another over about `seconds` (terminals only; never sleeps when piped)."""
        if not frames:
            return
        if not self.stdout_isatty:
            return
        import time

        from rich.live import Live

        delay = seconds / len(frames)
        with Live(frames[0], console=self.console, refresh_per_second=max(4, int(1 / max(delay, 0.01))),
                  transient=True) as live:
            for frame in frames:
                live.update(frame)
                time.sleep(delay)

    # --- prompts ----------------------------------------------------------------------------

    def read_line(self, message: str) -> str:
        """Plain mode: print a prompt, read one line. EOF raises EndOfInput."""
        self.stdout.write(message)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.stdout.write("\n")
            raise EndOfInput()
        line = line.rstrip("\r\n")
        if not self.stdin_isatty:
            # Nobody typed it, so no newline was echoed: show the answer as a transcript would.
            self.stdout.write(line + "\n")
            self.stdout.flush()
        return line

    def select(self, message: str, choices: Sequence[str], *, default: str | None = None) -> str:
        """Interactive: arrow keys + Enter. Returns the chosen text."""
        import questionary  # lazy: prompt_toolkit costs ~100 ms

        return _ask(questionary.select(message, choices=list(choices), default=default,
                                       qmark="?", instruction=" "))

    def checkbox(self, message: str, choices: Sequence[str], *, checked: Sequence[str] = ()) -> list[str]:
        """Interactive: space ticks, Enter submits. Returns the ticked texts (`checked` start ticked)."""
        import questionary

        items = [questionary.Choice(c, checked=c in checked) for c in choices] if checked else list(choices)
        return _ask(questionary.checkbox(message, choices=items, qmark="?",
                                         instruction="(space ticks, enter submits)"))

    def edit(self, message: str, *, toolbar=None) -> str:
        """Interactive multi-line editor: Enter starts a new line; Ctrl-D (or Esc then Enter) finishes.

        `toolbar()` returns the bottom line's text and is redrawn every second (a timer).
        Ctrl-C raises KeyboardInterrupt; long lines wrap at the terminal's width.
        """
        from prompt_toolkit import PromptSession
        from prompt_toolkit.key_binding import KeyBindings

        bindings = KeyBindings()

        @bindings.add("c-d")
        def _finish(event) -> None:  # Ctrl-D submits, even on an empty answer (never EOF)
            event.current_buffer.validate_and_handle()

        session = PromptSession(multiline=True, key_bindings=bindings, bottom_toolbar=toolbar,
                                refresh_interval=1.0 if toolbar else 0, wrap_lines=True,
                                prompt_continuation=lambda width, line, wrapped: "  ")
        return session.prompt(message)

    def text(self, message: str) -> str:
        import questionary

        return _ask(questionary.text(message, qmark="?", multiline=False))

    def confirm(self, message: str, *, default: bool = False) -> bool:
        if self.interactive:
            import questionary

            return bool(_ask(questionary.confirm(message, default=default, qmark="?")))
        answer = self.read_line(f"{message} [{'Y/n' if default else 'y/N'}] ").strip().lower()
        return default if not answer else answer in ("y", "yes")

    def progress(self, total: int, description: str):
        """A progress bar in a terminal; a no-op context elsewhere. Yields an advance(n) callable."""
        return _Progress(self, total, description)


class _Progress:
    def __init__(self, terminal: Terminal, total: int, description: str):
        self.terminal, self.total, self.description = terminal, total, description
        self._progress = None

    def __enter__(self):
        if not self.terminal.stdout_isatty or self.total <= 0:
            return lambda n=1: None
        from rich.progress import Progress

        self._progress = Progress(console=self.terminal.err_console, transient=True)
        self._progress.__enter__()
        task = self._progress.add_task(self.description, total=self.total)
        return lambda n=1: self._progress.advance(task, n)

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.__exit__(*exc)
        return False


def _ask(question):
    """Run a questionary prompt; Ctrl-D (EOFError from prompt_toolkit) ends input as in plain mode."""
    try:
        return question.unsafe_ask()
    except EOFError:
        raise EndOfInput() from None


# Symbols the views print, and what they become on an output that cannot encode them
# (PYTHONIOENCODING=ascii, an old locale); anything else becomes "?".
_ASCII = {"·": "-", "✓": "+", "✗": "x", "…": "...", "—": "-", "–": "-", "→": "->", "←": "<-", "≤": "<=", "≥": ">=",
          "×": "x", "’": "'", "‘": "'", "“": '"', "”": '"', "█": "#", "▏": "|", "░": ".", "▒": ":", "▓": "#",
          "•": "*", "↑": "^", "↓": "v", "µ": "u", "≈": "~"}


def _ascii_fallback(error: UnicodeEncodeError):
    text = error.object[error.start:error.end]
    return "".join(_ASCII.get(ch, "?") for ch in text), error.end


def _degrade_symbols(stream) -> None:
    """Make a stream that cannot encode our symbols print ASCII stand-ins instead of crashing."""
    encoding = getattr(stream, "encoding", None)
    if not encoding or not hasattr(stream, "reconfigure"):
        return
    try:
        "✓·…".encode(encoding)
        return
    except (UnicodeEncodeError, LookupError):
        pass
    import codecs

    try:
        codecs.lookup_error("lambda_prep_ascii")
    except LookupError:
        codecs.register_error("lambda_prep_ascii", _ascii_fallback)
    try:
        stream.reconfigure(errors="lambda_prep_ascii")
    except (ValueError, OSError):
        pass


def _broken_pipe() -> None:
    import errno

    raise BrokenPipeError(errno.EPIPE, "the reader of the output went away")


def silence_stdout() -> None:
    """The reader of stdout is gone (`quiz | tee` after Ctrl-C, `stats | head -1`): send the rest of our
    output nowhere, so flushing at exit cannot fail again and change the exit code."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a real file descriptor (tests): nothing to flush at exit


def _isatty(stream) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):
        return False
