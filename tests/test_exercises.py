"""The exercise framework: right answers pass, typical mistakes get their own message."""

import numpy as np
import pytest

from cnnlab.exercises import (
    BLANK_PROMPT,
    KINDS,
    ArrayQuestion,
    ChoiceQuestion,
    CodeQuestion,
    NumberQuestion,
)


@pytest.fixture
def size_question():
    return NumberQuestion("width?", 26, mistakes={27: "Off by one.", 28: "That is 'same'."},
                          hints=["first", "second"], solution="28 − 3 + 1 = 26")


def test_number_question(size_question, capsys):
    size_question.check(26)
    assert capsys.readouterr().out == "✓ Correct!\n"
    for wrong, words in [(27, "Off by one."), (28, "'same'"), (30, "hint"), ("26", "number")]:
        size_question.check(wrong)
        out = capsys.readouterr().out
        assert out.startswith("✗ Not quite:") and words in out
        assert size_question.feedback(wrong)[0] is False


@pytest.mark.parametrize("blank", [None, ...])
def test_an_unanswered_question_gets_a_neutral_prompt_not_a_cross(size_question, blank, capsys):
    size_question.check(blank)
    out = capsys.readouterr().out
    assert out == BLANK_PROMPT + "\n" and "✗" not in out and "Correct" not in out
    assert size_question.feedback(blank) == (
        False, "replace the blank (None / ...) with your answer, then run the cell.")


def test_predict_question_says_how_to_check_after_any_answer(capsys):
    q = NumberQuestion("Predict the width, then run the next cell.", 5, kind="predict",
                       then="run the next cell and compare its shape.")
    assert q.kind == "predict"
    for answer, verdict in [(5, "✓ Correct!"), (6, "✗ Not quite")]:
        q.check(answer)
        first, second = capsys.readouterr().out.splitlines()
        assert first.startswith(verdict)
        assert second == "Now see for yourself: run the next cell and compare its shape."
    q.check(None)
    assert "Now see" not in capsys.readouterr().out
    with pytest.raises(ValueError, match="needs then="):
        NumberQuestion("?", 1, kind="predict")
    with pytest.raises(ValueError, match="kind must be one of"):
        NumberQuestion("?", 1, kind="guess")


def test_each_class_has_its_kind():
    assert KINDS == ("compute", "predict", "code", "explain")
    assert NumberQuestion("?", 1).kind == ArrayQuestion("?", [1]).kind == "compute"
    assert ChoiceQuestion("?", "a", options=["a", "b"]).kind == "explain"


def test_code_question_runs_the_students_object(capsys):
    def finds_rows(kernel):         # a horizontal-edge kernel: responds to a row step only
        kernel = np.asarray(kernel, dtype=float)
        step = np.repeat([[0.0], [0.0], [1.0]], 3, axis=1)
        return kernel.shape == (3, 3) and abs((kernel * step).sum()) > 0 and \
            abs((kernel * step.T).sum()) == 0

    q = CodeQuestion("kernel?", np.array([[-1, -1, -1], [0, 0, 0], [1, 1, 1]]),
                     accept=finds_rows,
                     mistakes=[(lambda k: np.asarray(k).shape != (3, 3), "Shape (3, 3)."),
                               (lambda k: finds_rows(np.asarray(k).T), "That one is vertical.")])
    assert q.kind == "code" and q.feedback(q.answer) == (True, "")
    assert q.feedback(q.answer.T) == (False, "That one is vertical.")
    assert q.feedback([[1, 2]]) == (False, "Shape (3, 3).")
    assert q.feedback("not a kernel") == (False, "Shape (3, 3).")   # no 3×3 array at all
    q.check(np.zeros((3, 3)))
    assert capsys.readouterr().out.startswith("✗ Not quite: that is not it.")
    with pytest.raises(TypeError, match="accept must be callable"):
        CodeQuestion("?", 1, accept=1)
    with pytest.raises(TypeError, match="predicate, message"):
        CodeQuestion("?", 1, accept=bool, mistakes={1: "one"})


def test_hints_in_order_then_solution(size_question, capsys):
    size_question.hint()
    size_question.hint()
    size_question.hint()
    size_question.solution()
    assert capsys.readouterr().out.splitlines() == [
        "Hint: first", "Hint: second", "Hint: second", "Solution: 28 − 3 + 1 = 26"]


def test_array_question_with_predicate_mistake(capsys):
    q = ArrayQuestion("map?", [[1, 2], [3, 4]],
                      mistakes=[(lambda a: np.allclose(a, [[4, 3], [2, 1]]), "Flipped.")])
    assert q.feedback(np.array([[1.0, 2.0], [3.0, 4.0]]))[0]
    q.check([[4, 3], [2, 1]])
    assert "✗ Not quite: Flipped." in capsys.readouterr().out
    q.check([[1, 2, 3]])
    assert "shape (2, 2)" in capsys.readouterr().out


def test_choice_question(capsys):
    q = ChoiceQuestion("kernel?", "sobel_x", options=["sobel_x", "sobel_y"],
                       mistakes={"sobel_y": "That one finds horizontal edges."})
    assert q.feedback("sobel_x") == (True, "")
    q.check("sobel_y")
    assert "✗ Not quite: That one finds horizontal edges." in capsys.readouterr().out
    q.check("blur")
    assert "choose one of" in capsys.readouterr().out
    with pytest.raises(ValueError, match="not one of options"):
        ChoiceQuestion("?", "c", options=["a", "b"])
