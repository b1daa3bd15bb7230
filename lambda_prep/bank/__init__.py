"""Question banks: the model, a safe YAML loader that keeps positions, and validation."""

from lambda_prep.bank.model import Problem, Question, QUESTION_TYPES
from lambda_prep.bank.validation import BankSet, discover, load_banks

__all__ = ["BankSet", "Problem", "Question", "QUESTION_TYPES", "discover", "load_banks"]
