"""Exercises with immediate feedback, in the style of Kaggle's learntools.

Each notebook's questions live in a module of this package (e.g.
``cnnlab.exercises.padding_stride``). A question offers ``check(answer)``, ``hint()`` and
``solution()``. A wrong answer that matches a typical mistake gets the message that
explains *that* mistake, not just "wrong". An unanswered question (``None`` or ``...``)
gets a neutral prompt, so a stored notebook never shows a red cross for a blank.

Four kinds of question (``question.kind``), so that a notebook asks more than numbers:

- ``"compute"`` — work a number or an array out by hand (:class:`NumberQuestion`,
  :class:`ArrayQuestion`).
- ``"predict"`` — predict, then see for yourself: any of the above with
  ``kind="predict"`` and ``then=`` saying what to run or drive to check the prediction.
- ``"code"`` — write something that runs (a kernel, a layer stack, a function), judged by
  running it (:class:`CodeQuestion`).
- ``"explain"`` — choose the reason, with feedback for every option
  (:class:`ChoiceQuestion`).

Examples
--------
>>> q = NumberQuestion(
...     "Output width of a 3×3 kernel on a 28-pixel-wide image, 'valid' padding?",
...     answer=26,
...     mistakes={27: "Off by one: out = I − k + 1 = 28 − 3 + 1.",
...               28: "That is 'same' padding; 'valid' adds no padding."},
...     hints=["How many positions can a 3-wide window take in 28 columns?"],
...     solution="out = 28 − 3 + 1 = 26",
... )
>>> q.check(None)
✎ Your turn: replace None with your answer, then run this cell.
>>> q.check(27)
✗ Not quite: Off by one: out = I − k + 1 = 28 − 3 + 1.
>>> q.check(26)
✓ Correct!
>>> q.kind
'compute'
>>> q.feedback(28)
(False, "That is 'same' padding; 'valid' adds no padding.")
>>> q.hint()
Hint: How many positions can a 3-wide window take in 28 columns?
>>> q.solution()
Solution: out = 28 − 3 + 1 = 26
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["KINDS", "Question", "NumberQuestion", "ArrayQuestion", "ChoiceQuestion",
           "CodeQuestion"]

#: What a question asks the student to do (see the module docstring).
KINDS = ("compute", "predict", "code", "explain")

#: What an unanswered question prints: an invitation, not a verdict.
BLANK_PROMPT = "✎ Your turn: replace None with your answer, then run this cell."


class Question:
    """A question whose ``check`` compares an answer with the reference.

    Subclasses define :meth:`_is_correct` and how an answer matches a typical mistake.

    Parameters
    ----------
    prompt : str
        The question, as the student reads it.
    answer :
        The reference answer.
    mistakes : mapping or sequence of (answer or predicate, message), optional
        Typical wrong answers and the explanation each deserves. A predicate is a
        callable taking the student's answer and returning True when it matches.
    hints : sequence of str
        Shown one after another by :meth:`hint`.
    solution : str
        Shown by :meth:`solution`.
    explanation : str, optional
        Shown after a correct answer.
    then : str, optional
        Shown after any real answer, right or wrong: what to run or drive to see the
        answer for yourself (predict-then-check questions).
    kind : str, optional
        One of :data:`KINDS` (default: the class's own, e.g. "compute").
    """

    kind = "compute"

    def __init__(self, prompt: str, answer, *, mistakes=(), hints: Sequence[str] = (),
                 solution: str = "", explanation: str = "", then: str = "",
                 kind: str | None = None):
        if kind is not None:
            if kind not in KINDS:
                raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
            self.kind = kind
        if self.kind == "predict" and not then:
            raise ValueError("a 'predict' question needs then=: what to run to check the "
                             "prediction")
        self.prompt = prompt
        self.answer = answer
        self.mistakes = list(mistakes.items() if isinstance(mistakes, dict) else mistakes)
        self.hints = list(hints)
        self._solution = solution
        self.explanation = explanation
        self.then = then
        self._hints_shown = 0

    # -- what a student calls
    def check(self, answer) -> None:
        """Print whether ``answer`` is right and, if not, why (see :meth:`feedback`)."""
        if _is_blank(answer):
            print(BLANK_PROMPT)
            return
        correct, message = self.feedback(answer)
        if correct:
            print("✓ Correct!" + (f" {self.explanation}" if self.explanation else ""))
        else:
            print(f"✗ Not quite: {message}")
        if self.then:
            print(f"Now see for yourself: {self.then}")

    def hint(self) -> None:
        """Print the next hint (the last one again once all have been shown)."""
        if not self.hints:
            print("No hint for this one — try the solution.")
            return
        index = min(self._hints_shown, len(self.hints) - 1)
        self._hints_shown += 1
        print(f"Hint: {self.hints[index]}")

    def solution(self) -> None:
        """Print the worked solution."""
        print(f"Solution: {self._solution}")

    # -- logic
    def feedback(self, answer) -> tuple[bool, str]:
        """(correct, message) without printing: what :meth:`check` reports."""
        if _is_blank(answer):
            return False, "replace the blank (None / ...) with your answer, then run the cell."
        problem = self._shape_problem(answer)
        if problem:
            return False, problem
        if self._is_correct(answer):
            return True, ""
        for match, message in self.mistakes:
            if callable(match) and not isinstance(match, np.ndarray):
                if _safe(match, answer):
                    return False, message
            elif self._same(answer, match):
                return False, message
        return False, "that is not it. Try q.hint(), or check your working step by step."

    def _shape_problem(self, answer) -> str:
        return ""

    def _is_correct(self, answer) -> bool:
        return self._same(answer, self.answer)

    def _same(self, answer, reference) -> bool:
        return answer == reference

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.prompt!r})"


def _is_blank(answer) -> bool:
    return answer is None or answer is Ellipsis


def _safe(predicate: Callable, answer) -> bool:
    try:
        return bool(predicate(answer))
    except (TypeError, ValueError):
        return False


class NumberQuestion(Question):
    """A numeric answer, compared within ``tolerance`` (default: exact for integers)."""

    def __init__(self, prompt: str, answer, *, tolerance: float = 0.0, **kwargs):
        super().__init__(prompt, answer, **kwargs)
        self.tolerance = tolerance

    def _shape_problem(self, answer) -> str:
        if isinstance(answer, bool) or not isinstance(answer, (int, float, np.number)):
            return f"the answer should be a number, got {answer!r} ({type(answer).__name__})."
        return ""

    def _same(self, answer, reference) -> bool:
        return abs(float(answer) - float(reference)) <= self.tolerance


class ArrayQuestion(Question):
    """An array answer (e.g. a feature map computed by hand), compared within ``atol``."""

    def __init__(self, prompt: str, answer, *, atol: float = 1e-6, **kwargs):
        super().__init__(prompt, np.asarray(answer), **kwargs)
        self.atol = atol

    def _shape_problem(self, answer) -> str:
        try:
            array = np.asarray(answer, dtype=float)
        except (TypeError, ValueError):
            return f"the answer should be an array of numbers, got {answer!r}."
        if array.shape != self.answer.shape:
            return (f"the answer should have shape {self.answer.shape}, got {array.shape}. "
                    "Check the output-size formula.")
        return ""

    def _same(self, answer, reference) -> bool:
        reference = np.asarray(reference, dtype=float)
        answer = np.asarray(answer, dtype=float)
        return answer.shape == reference.shape and np.allclose(answer, reference, atol=self.atol)


class ChoiceQuestion(Question):
    """Pick one of ``options``; ``mistakes`` maps each wrong option to why it is wrong."""

    kind = "explain"

    def __init__(self, prompt: str, answer, *, options: Sequence, **kwargs):
        super().__init__(prompt, answer, **kwargs)
        self.options = list(options)
        if answer not in self.options:
            raise ValueError(f"answer {answer!r} is not one of options {self.options!r}")

    def _shape_problem(self, answer) -> str:
        if answer not in self.options:
            choices = ", ".join(repr(o) for o in self.options)
            return f"choose one of {choices}; got {answer!r}."
        return ""


class CodeQuestion(Question):
    """Write something that runs; ``accept(student_object)`` judges it by running it.

    Parameters
    ----------
    prompt : str
    answer :
        A reference solution (what :meth:`solution` describes; tests check that it is
        accepted).
    accept : callable
        ``accept(obj) -> bool``: True when the student's object does the job, e.g. a kernel
        that responds to horizontal edges on test images. An ``accept`` (or a mistake's
        predicate) that raises TypeError or ValueError counts as False.
    mistakes : sequence of (predicate, message)
        Recognisers of typical wrong objects, each with its explanation, tried in order.
    **kwargs
        ``hints``, ``solution``, ``explanation``, ``then`` as for :class:`Question`.

    Examples
    --------
    >>> q = CodeQuestion(
    ...     "Write a 1×3 kernel that doubles the centre pixel and ignores its neighbours.",
    ...     np.array([[0, 2, 0]]),
    ...     accept=lambda k: np.array_equal(np.asarray(k), [[0, 2, 0]]),
    ...     mistakes=[(lambda k: np.asarray(k).shape != (1, 3),
    ...                "The kernel must be 1 row of 3 numbers: [[a, b, c]].")],
    ...     solution="[[0, 2, 0]]")
    >>> q.kind, q.feedback(q.answer)
    ('code', (True, ''))
    >>> q.check([[1, 2]])
    ✗ Not quite: The kernel must be 1 row of 3 numbers: [[a, b, c]].
    """

    kind = "code"

    def __init__(self, prompt: str, answer, *, accept: Callable, **kwargs):
        if not callable(accept):
            raise TypeError(f"accept must be callable, got {type(accept).__name__}")
        super().__init__(prompt, answer, **kwargs)
        self.accept = accept
        if any(not callable(match) for match, _ in self.mistakes):
            raise TypeError("a CodeQuestion's mistakes are (predicate, message) pairs")

    def _is_correct(self, answer) -> bool:
        return _safe(self.accept, answer)

    def _same(self, answer, reference) -> bool:
        return False
