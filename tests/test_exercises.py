"""The exercise framework: right answers pass, typical mistakes get their own message."""

import numpy as np
import pytest

from cnnlab.exercises import ArrayQuestion, ChoiceQuestion, NumberQuestion


@pytest.fixture
def size_question():
    return NumberQuestion("width?", 26, mistakes={27: "Off by one.", 28: "That is 'same'."},
                          hints=["first", "second"], solution="28 − 3 + 1 = 26")


def test_number_question(size_question, capsys):
    assert size_question.check(26) is True
    assert "✓ Correct" in capsys.readouterr().out
    assert size_question.check(27) is False
    assert "Off by one." in capsys.readouterr().out
    assert size_question.check(28) is False
    assert "'same'" in capsys.readouterr().out
    assert size_question.check(30) is False
    assert "hint" in capsys.readouterr().out
    assert size_question.check("26") is False
    assert "number" in capsys.readouterr().out
    assert size_question.check(None) is False
    assert "blank" in capsys.readouterr().out


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
    assert q.check(np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert not q.check([[4, 3], [2, 1]])
    assert "Flipped." in capsys.readouterr().out
    assert not q.check([[1, 2, 3]])
    assert "shape (2, 2)" in capsys.readouterr().out


def test_choice_question(capsys):
    q = ChoiceQuestion("kernel?", "sobel_x", options=["sobel_x", "sobel_y"],
                       mistakes={"sobel_y": "That one finds horizontal edges."})
    assert q.check("sobel_x")
    assert not q.check("sobel_y")
    assert "horizontal" in capsys.readouterr().out
    assert not q.check("blur")
    assert "choose one of" in capsys.readouterr().out
    with pytest.raises(ValueError, match="not one of options"):
        ChoiceQuestion("?", "c", options=["a", "b"])
