"""Rich renderers. With terminal.py, the only modules that import rich or questionary."""
