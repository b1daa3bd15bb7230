"""Placeholder: replaced by the simulation's command module."""
