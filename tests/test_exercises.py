"""The exercise framework: right answers pass, typical mistakes get their own message."""

import numpy as np
import pytest

from cnnlab.exercises import ArrayQuestion, ChoiceQuestion, NumberQuestion


@pytest.fixture
def size_question():
    return NumberQuestion("width?", 26, mistakes={27: "Off by one.", 28: "That is 'same'."},
                          hints=["first", "second"], solution="28 − 3 + 1 = 26")


def test_number_question(size_question, capsys):
    size_question.check(26)
    assert capsys.readouterr().out == "✓ Correct!\n"
    for wrong, words in [(27, "Off by one."), (28, "'same'"), (30, "hint"), ("26", "number"),
                         (None, "blank")]:
        size_question.check(wrong)
        out = capsys.readouterr().out
        assert out.startswith("✗ Not quite:") and words in out
        assert size_question.feedback(wrong)[0] is False


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
