"""lambda-prep: study AWS Lambda for interviews in the terminal."""

__version__ = "0.1.0"
