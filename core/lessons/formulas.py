"""Formulas written once, as Python expressions: a lesson runs them, and its code view shows the
same text (core/code/). Only the app's own constants are compiled here, never a visitor's text."""

import functools

import numpy as np


@functools.cache
def _compiled(expression):
    return compile(expression, "<formula>", "eval")


def evaluate(expression, **values):
    """Return the expression's value for the named values (numbers or arrays); numpy is `np`."""
    return eval(_compiled(expression), {"__builtins__": {}, "np": np}, values)


def function(expression, *names):
    """Return a function of `names` (positional) that evaluates the expression."""

    def run(*arguments):
        return evaluate(expression, **dict(zip(names, arguments)))

    run.expression = expression
    return run
