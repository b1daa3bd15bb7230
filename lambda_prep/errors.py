"""Exceptions shared across layers without pulling in the modules that raise them."""


class EndOfInput(Exception):
    """Input closed while a prompt was waiting (plain mode): the quiz ends cleanly."""
