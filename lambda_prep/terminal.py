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
        self.stderr.write(wrap_for(self.stderr, text) + "\n")
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

    def select(self, message: str, choices: Sequence[str], *, default: str | None = None,
               unsure_key: bool = False):
        """Interactive: arrow keys + Enter. Returns the chosen text.

        With unsure_key, `?` also picks (marking the answer a guess) and the result is (text, unsure).
        Long choices are wrapped to the terminal's width, never cut at its edge.
        """
        import questionary  # lazy: prompt_toolkit costs ~100 ms

        items = [questionary.Choice(_wrap(c, _POINTER_COLUMNS), value=c) for c in choices]
        question = questionary.select(message, choices=items, default=default, qmark="?",
                                      instruction="(? instead of Enter: not sure)" if unsure_key else " ")
        unsure = _add_unsure_key(question, lambda control: control.get_pointed_at().value) if unsure_key else None
        picked = self._answered(question, message, lambda value: value)
        return picked if unsure is None else (picked, unsure[0])

    def checkbox(self, message: str, choices: Sequence[str], *, checked: Sequence[str] = (),
                 unsure_key: bool = False):
        """Interactive: space ticks, Enter submits. Returns the ticked texts (`checked` start ticked).

        With unsure_key, `?` also submits (marking the answer a guess) and the result is (texts, unsure).
        """
        import questionary

        items = [questionary.Choice(_wrap(c, _POINTER_COLUMNS + 2), value=c, checked=c in checked)
                 for c in choices]
        instruction = "(space ticks, enter submits" + (", ? submits not sure)" if unsure_key else ")")
        question = questionary.checkbox(message, choices=items, qmark="?", instruction=instruction)
        unsure = (_add_unsure_key(question, lambda control: [c.value for c in control.get_selected_values()])
                  if unsure_key else None)
        picked = self._answered(question, message, lambda values: "; ".join(values) or "(none)")
        return picked if unsure is None else (picked, unsure[0])

    def _answered(self, question, message: str, describe):
        """Run a list prompt, then replace it by one line saying what was picked, wrapped at words.

        questionary would leave "? message: <choice>" on one line, cut at the terminal's edge for a
        long choice (prompt_toolkit turns the terminal's own wrapping off); so the prompt erases
        itself and the pick is printed here instead.
        """
        from rich.text import Text

        question.application.erase_when_done = True
        picked = _ask(question)
        line = Text("? ", style="bold")
        line.append(message + " ", style="bold")
        line.append(describe(picked))
        self.console.print(line)
        return picked

    def key(self, message: str, keys: dict[str, str]) -> str:
        """Wait for one key press (names as prompt_toolkit spells them: "enter", "space", "q"...) and
        return what `keys` maps it to. The line is erased once a key is pressed. Ctrl-C raises
        KeyboardInterrupt; Ctrl-D ends input (EndOfInput), as at every other prompt."""
        from prompt_toolkit.application import Application
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.layout import FormattedTextControl, Layout, Window

        bindings = KeyBindings()
        for name, result in keys.items():
            bindings.add(name)(lambda event, result=result: event.app.exit(result=result))
        bindings.add("c-c")(lambda event: event.app.exit(exception=KeyboardInterrupt, style="class:aborting"))
        bindings.add("c-d")(lambda event: event.app.exit(exception=EOFError))
        bindings.add("<any>")(lambda event: None)  # other keys do nothing (and print nothing)
        app = Application(layout=Layout(Window(FormattedTextControl([("class:hint", message)]),
                                               wrap_lines=True, dont_extend_height=True)),
                          key_bindings=bindings, full_screen=False, erase_when_done=True)
        try:
            return app.run()
        except EOFError:
            raise EndOfInput() from None

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


_POINTER_COLUMNS = 3  # questionary draws " » " (or three spaces) before each choice; checkbox adds "○ "


def _columns() -> int:
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


def _wrap(text: str, indent: int, columns: int | None = None) -> str:
    """A choice's text wrapped to the terminal, continuation lines indented under its first word.

    questionary draws each choice on one line and prompt_toolkit turns the terminal's own line wrap
    off, so a long choice is cut at the edge, which can lose its deciding clause; pre-wrapping keeps
    every word on screen. One column is left free: writing into the last column makes some
    terminals wrap on their own.
    """
    import textwrap

    width = max(columns or _columns(), 40) - 1
    lines = textwrap.wrap(" ".join(text.split()), width, initial_indent=" " * indent,
                          subsequent_indent=" " * indent, break_on_hyphens=False)
    if not lines:
        return text
    return "\n".join([lines[0][indent:]] + lines[1:])


def _add_unsure_key(question, result_of) -> list[bool]:
    """Bind `?` in a questionary list prompt: submit what Enter would, marked "not sure".

    Returns a one-item list that holds whether `?` was used, read after the prompt ends.
    """
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
    from questionary.prompts.common import InquirerControl

    app = question.application
    control = next(w.content for w in app.layout.find_all_windows() if isinstance(w.content, InquirerControl))
    used = [False]
    bindings = KeyBindings()

    @bindings.add("?", eager=True)
    def _unsure(event) -> None:
        used[0] = True
        control.is_answered = True
        event.app.exit(result=result_of(control))

    app.key_bindings = merge_key_bindings([app.key_bindings, bindings])
    return used


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


def wrap_for(stream: IO[str], text: str) -> str:
    """`text` wrapped at word boundaries to the width of the terminal `stream` writes to (a
    terminal would break a long error line mid-word, "Py / thon"); unchanged when it is not a
    terminal, so scripts and logs get one line per message."""
    if not _isatty(stream):
        return text
    import textwrap

    width = max(_columns() - 1, 20)  # the last column free, as _wrap leaves it
    return "\n".join(textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False) if line else line
                     for line in text.split("\n"))
