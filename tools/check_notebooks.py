"""Check the stored notebooks the way CI does: executed, error-free, clean, consistent.

A notebook passes when
- every code cell has run, in order: execution counts 1, 2, 3, … with no gaps, and the
  notebook has outputs at all;
- no output is an error, and no stderr stream carries a traceback;
- every widget output carries a still picture too (``text/html`` or an image), which
  GitHub, nbviewer and the static course (``make course``) show in its place;
- its metadata is the pinned kernel's (the kernelspec that ``tools/execute_notebooks.py``
  writes) and it holds no saved widget state (nbval ignores it; it only bloats diffs);
- nbval's instructions are cell tags (``nbval-ignore-output``), never ``# NBVAL_…``
  comments, which a student would read as part of the lesson;
- no exercise can be answered by copying: a number question's reference answer appears in
  no earlier markdown cell or stored output of its notebook — as printed, rounded to 0–3
  decimals, or with thousands separators (see :func:`copied_answers`);
- no output (nor source) shows an absolute local path (``/home/…``, ``/root/…``,
  ``C:\\Users\\…``, ``file://…``) or something that looks like a secret (API keys,
  tokens, passwords, a Kaggle key).

``ruff check`` (configured in pyproject.toml, notebooks included) covers the code style.

Usage: python tools/check_notebooks.py [notebooks/*.ipynb]   (exit status 1 on problems)
"""

from __future__ import annotations

import html
import importlib
import numbers
import re
import sys
from pathlib import Path

import nbformat
import project

LOCAL_PATH = re.compile(
    r"(?<![\w.])(/(home|root|Users|private/var|var/folders|tmp|work)/[^\s\"'<>]*"
    r"|[A-Za-z]:\\\\?(Users|Documents and Settings)\\[^\s\"'<>]*|file://[^\s\"'<>]+)")
SECRET = re.compile(
    r"(AKIA[0-9A-Z]{16}"                                    # AWS access key id
    r"|gh[pousr]_[A-Za-z0-9]{36}"                           # GitHub token
    r"|github_pat_[A-Za-z0-9_]{40,}"
    r"|sk-[A-Za-z0-9_-]{20,}"                               # OpenAI-style secret key
    r"|hf_[A-Za-z0-9]{30,}"                                 # Hugging Face token
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----"
    r"|\"key\"\s*:\s*\"[0-9a-f]{32}\""                      # kaggle.json
    r"|(api[_-]?key|secret|password|passwd|token)\s*[:=]\s*['\"][^'\"\s]{8,}['\"])",
    re.IGNORECASE)
NBVAL_COMMENT = re.compile(r"#\s*(NBVAL_[A-Z_]+)")
# Embedded pictures (base64) and the explorers' player data are not text a student reads:
# random letters could look like a key, random digits like an exercise's answer.
DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s\\n]+"
                      r"|data-cnnlab-player='[A-Za-z0-9+/=]*'")


EXERCISE_IMPORT = re.compile(r"from\s+cnnlab\.exercises\s+import\s+(\w+)\s+as\s+(\w+)")
# Thousands separators a notebook may print: comma, space, thin space, narrow no-break space.
SEPARATORS = (",", " ", "\u2009", "\u202f")


def answer_spellings(answer) -> set[str]:
    """How a numeric answer could be printed: plain, rounded to 0–3 decimals, with
    thousands separators. Spellings of fewer than two digits are left out: a lone digit
    appears in any text, so it proves no copying.

    Examples
    --------
    >>> sorted(s for s in answer_spellings(15052900) if "." not in s)
    ['15 052 900', '15,052,900', '15052900', '15\u2009052\u2009900', '15\u202f052\u202f900']
    >>> sorted(answer_spellings(28))
    ['28', '28.0', '28.00', '28.000']
    >>> sorted(answer_spellings(1.3333))
    ['1.3', '1.33', '1.333']
    >>> sorted(answer_spellings(7))      # "7" alone is in any text
    ['7.0', '7.00', '7.000']
    """
    value = float(answer)
    spellings = set()
    for decimals in range(4):
        text = f"{value:.{decimals}f}"
        whole, _, fraction = text.partition(".")
        for separator in ("", *SEPARATORS):
            grouped = f"{int(whole):,}".replace(",", separator) if separator else whole
            spellings.add(grouped + (f".{fraction}" if fraction else ""))
    return {s for s in spellings if sum(c.isdigit() for c in s) >= 2}


def _exercise_modules(notebook) -> dict[str, object]:
    """alias → exercise module, for each ``from cnnlab.exercises import m as alias``."""
    modules = {}
    for cell in notebook.cells:
        if cell.cell_type == "code":
            for module, alias in EXERCISE_IMPORT.findall(cell.source):
                modules[alias] = importlib.import_module(f"cnnlab.exercises.{module}")
    return modules


def copied_answers(notebook, name: str = "notebook") -> list[str]:
    """Exercises whose numeric answer is already shown above them, one problem each.

    An exercise cell calls ``<alias>.<question>.check(`` for an exercise module imported
    as ``from cnnlab.exercises import <module> as <alias>``. Only number questions are
    checked (an array, a choice or a piece of code is not copied from one printed number).

    Examples
    --------
    >>> notebook = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_code_cell("from cnnlab.exercises import convolution as ex"),
    ...     nbformat.v4.new_markdown_cell("Ten 5×5 filters on RGB have 760 weights."),
    ...     nbformat.v4.new_code_cell("ex.conv_parameters.check(None)")])
    >>> copied_answers(notebook, "n.ipynb")
    ['n.ipynb: cell 3: the answer of conv_parameters (760) already appears in cell 2 as 760']
    """
    modules = _exercise_modules(notebook)
    if not modules:
        return []
    check_call = re.compile(rf"\b({'|'.join(map(re.escape, modules))})\.(\w+)\.check\(")
    found, shown = [], []          # shown: (cell number, text a student has read so far)
    for index, cell in enumerate(notebook.cells, 1):
        if cell.cell_type == "code":
            for alias, question_name in check_call.findall(cell.source):
                question = getattr(modules[alias], question_name, None)
                answer = getattr(question, "answer", None)
                if not isinstance(answer, numbers.Real) or isinstance(answer, bool):
                    continue
                for spelling in sorted(answer_spellings(answer), key=len, reverse=True):
                    pattern = re.compile(rf"(?<![\d.,])(?<!\d[ \u2009\u202f])"
                                         rf"{re.escape(spelling)}(?![\d]|[.,]\d)")
                    where = next((number for number, text in shown if pattern.search(text)),
                                 None)
                    if where is not None:
                        found.append(f"{name}: cell {index}: the answer of {question_name} "
                                     f"({answer}) already appears in cell {where} as {spelling}")
                        break
            # What a student reads: HTML entities decoded (&#x27; is a quote, not a 27).
            shown.append((index, html.unescape("\n".join(
                DATA_URI.sub("", _output_text(output)) for output in cell.get("outputs", [])))))
        elif cell.cell_type == "markdown":
            shown.append((index, cell.source))
    return found


def _output_text(output) -> str:
    """The text a reader sees in one output: stream text, plain text, HTML, tracebacks."""
    if output.output_type == "stream":
        return output.text
    if output.output_type == "error":
        return "\n".join(output.get("traceback", []))
    data = output.get("data", {})
    return "\n".join(str(value) for mime, value in data.items() if mime.startswith("text/"))


def problems(notebook: nbformat.NotebookNode, name: str = "notebook") -> list[str]:
    """Everything wrong with one notebook, each as ``"name: cell N: what"``; [] when clean.

    Examples
    --------
    >>> cell = nbformat.v4.new_code_cell("1 / 0", execution_count=1, outputs=[
    ...     nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero")])
    >>> notebook = nbformat.v4.new_notebook(cells=[cell],
    ...                                     metadata={"kernelspec": project.KERNELSPEC})
    >>> problems(notebook, "demo.ipynb")
    ['demo.ipynb: cell 1: error output ZeroDivisionError: division by zero']
    """
    found = []
    code_cells = [(i, c) for i, c in enumerate(notebook.cells, 1) if c.cell_type == "code"]
    if not any(cell.get("outputs") for _, cell in code_cells):
        found.append(f"{name}: has no outputs (run `make notebooks`)")
    for expected, (index, cell) in enumerate(code_cells, 1):
        if cell.execution_count != expected:
            found.append(f"{name}: cell {index}: execution count {cell.execution_count}, "
                         f"expected {expected} (cells must run once, top to bottom)")
            break
    for index, cell in enumerate(notebook.cells, 1):
        where = f"{name}: cell {index}"
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                found.append(f"{where}: error output {output.ename}: {output.evalue}")
            elif output.output_type == "stream" and "Traceback" in output.text:
                found.append(f"{where}: traceback in {output.name}")
            if project.widget_without_still(output.get("data", {})):
                found.append(f"{where}: widget without a still picture (text/html or an "
                             "image) for pages where widgets cannot run")
            text = DATA_URI.sub("", _output_text(output))
            found += [f"{where}: output shows a local path {m.group(0)!r}"
                      for m in LOCAL_PATH.finditer(text)]
            found += [f"{where}: output looks like a secret ({m.group(0)[:12]}…)"
                      for m in SECRET.finditer(text)]
        found += [f"{where}: source looks like a secret ({m.group(0)[:12]}…)"
                  for m in SECRET.finditer(cell.source)]
        found += [f"{where}: nbval comment {m.group(0)!r} in the student's view; use the cell "
                  f"tag {m.group(1).lower().replace('_', '-')!r} instead"
                  for m in NBVAL_COMMENT.finditer(cell.source)]
    kernelspec = dict(notebook.metadata.get("kernelspec", {}))
    if kernelspec != project.KERNELSPEC:
        found.append(f"{name}: kernelspec {kernelspec}, expected {project.KERNELSPEC}")
    if notebook.metadata.get("language_info", {}).get("name", "python") != "python":
        found.append(f"{name}: language_info is not Python")
    if "widgets" in notebook.metadata:
        found.append(f"{name}: saved widget state in the metadata (run `make notebooks`)")
    return found + copied_answers(notebook, name)


def main(paths) -> int:
    paths = [Path(p) for p in paths] or project.notebooks()
    found = [problem for path in paths
             for problem in problems(nbformat.read(path, as_version=4), path.name)]
    print("\n".join(found) or f"{len(paths)} notebooks clean")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
