"""Markup readers (Markdown, reStructuredText, HTML), ignore markers and folder listing:
what is a paragraph, where it is (line, column, end line), what is left out."""

from __future__ import annotations

import doctest
import importlib
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedup.config import ReadConfig, ScanConfig, with_settings
from dedup.errors import InputError
from dedup.readers import expand_paths, format_of, read_path
from dedup.readers.files import folder_files
from dedup.readers.markup import Marker, line_marker, text_blocks, without_ignored
from dedup.segment import Block

EVERYTHING = with_settings(ScanConfig(), {"skip_blocks": ""}).read


def paragraphs(path: Path, config: ReadConfig | None = None) -> list[tuple[int, int, int, str]]:
    """(line, column, end line, text) of every paragraph of one file."""
    (document,) = read_path(str(path), config)
    return [(p.line or 0, p.column or 0, p.end_line or 0, p.text) for p in document.paragraphs]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


MARKDOWN = """---
title: A page
---
# Heading

First paragraph
wrapped, with [a link](https://example.org/x) and `code` and **bold**.

- A list item that is a paragraph
  over two lines.
- Second item.

> A quoted paragraph.

| name | value |
|------|-------|
| a    | 1     |

```python
print("code")
```

    indented code

<!-- a comment -->

{{< figure src="x.png" >}}

<div>raw html</div>

Setext heading
--------------

Last.
"""


def test_markdown_paragraphs_and_where_they_are(tmp_path: Path) -> None:
    assert paragraphs(write(tmp_path, "page.md", MARKDOWN)) == [
        (6, 1, 7, "First paragraph wrapped, with a link and code and bold."),
        (9, 3, 10, "A list item that is a paragraph over two lines."),
        (11, 3, 11, "Second item."),
        (13, 3, 13, "A quoted paragraph."),
        (34, 1, 34, "Last."),
    ]


def test_markdown_blocks_count_when_asked(tmp_path: Path) -> None:
    found = paragraphs(write(tmp_path, "page.md", MARKDOWN), EVERYTHING)
    assert [f for f in found if f[3] not in {t for *_, t in paragraphs(tmp_path / "page.md")}] == [
        (1, 1, 3, "title: A page"),
        (4, 3, 4, "Heading"),
        (15, 1, 15, "name value"),
        (17, 1, 17, "a 1"),
        (19, 1, 21, 'print("code")'),
        (23, 5, 23, "indented code"),
        (25, 1, 25, "a comment"),
        (27, 1, 27, '{{< figure src="x.png" >}}'),
        (31, 1, 31, "Setext heading"),
    ]


def test_markdown_title_is_its_first_heading(tmp_path: Path) -> None:
    (document,) = read_path(str(write(tmp_path, "page.md", MARKDOWN)))
    assert (document.id, document.title) == (str(tmp_path / "page.md"), "Heading")


RST = """:orphan:

=====
Title
=====

First paragraph
wrapped, with :ref:`a role <x>` and *emphasis*.

Section
-------

- A list item that is a paragraph
  over two lines.

.. note::

   A paragraph inside a note.

.. toctree::
   :maxdepth: 2

   intro

.. code-block:: python

   print("code")

Example::

    literal

+------+-------+
| name | value |
+------+-------+

.. |sub| replace:: substituted

.. a comment

Last.
"""


def test_rst_paragraphs_and_where_they_are(tmp_path: Path) -> None:
    assert paragraphs(write(tmp_path, "page.rst", RST)) == [
        (7, 1, 8, "First paragraph wrapped, with :ref:`a role <x>` and emphasis."),
        (13, 3, 14, "A list item that is a paragraph over two lines."),
        (18, 4, 18, "A paragraph inside a note."),
        (29, 1, 29, "Example:"),
        (41, 1, 41, "Last."),
    ]


def test_rst_blocks_count_when_asked(tmp_path: Path) -> None:
    found = {
        text: (line, column)
        for line, column, _, text in paragraphs(write(tmp_path, "page.rst", RST), EVERYTHING)
    }
    assert found["Title"] == (4, 1)
    assert found["Section"] == (10, 1)
    assert found['print("code")'] == (27, 4)
    assert found["literal"] == (31, 5)
    assert found["substituted"] == (37, 1)
    assert found["a comment"] == (39, 4)
    assert found[".. toctree:: :maxdepth: 2 intro"] == (20, 1)
    assert found["name"] == (34, 3)


HTML = """<!DOCTYPE html>
<html><head><title>A page</title><style>p { color: red }</style></head>
<body><header><p>Site header</p></header>
<nav><p>Menu</p></nav>
<h1>Heading</h1>
  <p>First paragraph
  over two lines.</p><p>Second &amp; on the same line.</p>
<!-- a comment -->
<table><tr><td><p>cell</p></td></tr></table>
<pre>code</pre>
<p>Unclosed paragraph
<p>Last.</p>
<script>var p = "<p>not prose</p>";</script>
<footer><p>Site footer</p></footer>
</body></html>
"""


def test_html_paragraphs_and_where_they_are(tmp_path: Path) -> None:
    assert paragraphs(write(tmp_path, "page.html", HTML)) == [
        (6, 3, 7, "First paragraph over two lines."),
        (7, 22, 7, "Second & on the same line."),
        (11, 1, 11, "Unclosed paragraph"),
        (12, 1, 12, "Last."),
    ]
    (document,) = read_path(str(tmp_path / "page.html"))
    assert document.title == "A page"


def test_html_blocks_count_when_asked(tmp_path: Path) -> None:
    found = paragraphs(write(tmp_path, "page.html", HTML), EVERYTHING)
    assert [(line, column, text) for line, column, _, text in found] == [
        (5, 1, "Heading"),
        (6, 3, "First paragraph over two lines."),
        (7, 22, "Second & on the same line."),
        (8, 1, "a comment"),
        (9, 8, "cell"),
        (10, 1, "code"),
        (11, 1, "Unclosed paragraph"),
        (12, 1, "Last."),
    ]


@pytest.mark.parametrize(
    "page",
    [
        '<?xml version="1.0" encoding="ISO-8859-1"?><html><body><p>Déjà vu.</p></body></html>',
        '<html><head><meta charset="windows-1252"></head><body><p>Déjà vu.</p></body></html>',
    ],
    ids=["xml-declaration", "meta-charset"],
)
def test_html_text_is_decoded_once(tmp_path: Path, page: str) -> None:
    assert [text for *_, text in paragraphs(write(tmp_path, "page.html", page))] == ["Déjà vu."]


def test_html_entities_stay_unexpanded_and_nothing_is_fetched(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.txt", "the secret\n")
    page = (
        f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<html><body><p>Before &x; after.</p></body></html>"
    )
    texts = [text for *_, text in paragraphs(write(tmp_path, "page.html", page))]
    assert all("secret" not in text for text in texts)


def test_html_line_breaks_separate_words(tmp_path: Path) -> None:
    page = write(tmp_path, "page.html", "<html><body><p>One<br>two<br/>three.</p></body></html>")
    assert [text for *_, text in paragraphs(page)] == ["One two three."]


def test_html_is_recognised_by_its_content(tmp_path: Path) -> None:
    assert format_of("page", "  <!DOCTYPE html><html></html>").name == "html"
    assert format_of("notes", "Plain words.").name == "text"


@pytest.mark.parametrize(
    ("name", "marked"),
    [
        (
            "page.md",
            "<!-- dedup: ignore -->\nIgnored.\n\n<!-- dedup: ignore-start -->\n"
            "\nIn range.\n\nAlso in range.\n\n<!-- dedup: ignore-end -->\n",
        ),
        (
            "page.rst",
            ".. dedup: ignore\n\nIgnored.\n\n.. dedup: ignore-start\n\nIn range.\n\n"
            "Also in range.\n\n.. dedup: ignore-end\n",
        ),
        (
            "page.html",
            "<html><body><!-- dedup: ignore --><p>Ignored.</p>\n"
            "<!-- dedup: ignore-start --><p>In range.</p><p>Also in range.</p>\n"
            "<!-- dedup: ignore-end -->\n",
        ),
        (
            "page.txt",
            "dedup: ignore\nIgnored.\n<!-- dedup: ignore-start -->\nIn range.\n"
            "Also in range.\n.. dedup: ignore-end\n",
        ),
        (
            "wrapped.txt",
            "dedup: ignore\nIgnored\nand wrapped.\n\ndedup: ignore-start\n\n"
            "In range.\n\nAlso in range.\ndedup: ignore-end\n",
        ),
    ],
    ids=["markdown", "rst", "html", "text-lines", "text-blocks"],
)
def test_ignore_markers(tmp_path: Path, name: str, marked: str) -> None:
    page = write(tmp_path, name, "Kept first.\n\n" + marked + "\nKept last.\n")
    if name.endswith(".html"):
        page = write(
            tmp_path,
            name,
            marked.replace("<body>", "<body><p>Kept first.</p>").replace("</body>", "")
            + "<p>Kept last.</p></body></html>",
        )
    assert [text for *_, text in paragraphs(page)] == ["Kept first.", "Kept last."]


def test_text_marker_lines_keep_every_other_line_number() -> None:
    text = "One.\n\ndedup: ignore\nTwo\nwrapped.\n\nThree.\n"
    assert [(b.line, b.end_line, b.text) for b in text_blocks(text)] == [
        (1, 1, "One."),
        (7, 7, "Three."),
    ]


@pytest.mark.parametrize(
    ("line", "marker"),
    [
        ("<!-- dedup: ignore -->", Marker.IGNORE),
        ("  <!--dedup:ignore-start-->  ", Marker.START),
        (".. dedup: ignore-end", Marker.END),
        ("dedup: ignore", Marker.IGNORE),
        ("DEDUP: IGNORE", Marker.IGNORE),
        ("dedup: ignore this paragraph", None),
        ("Text dedup: ignore", None),
        ("<!-- other comment -->", None),
    ],
)
def test_line_marker(line: str, marker: Marker | None) -> None:
    assert line_marker(line) is marker


blocks_strategy = st.lists(st.integers(1, 60), unique=True, max_size=12).map(
    lambda lines: [Block(line, f"p{line}", line, 1) for line in sorted(lines)]
)
markers_strategy = st.lists(
    st.tuples(st.integers(0, 61), st.just(1), st.sampled_from(list(Marker))), max_size=6
)


@given(blocks_strategy, markers_strategy)
def test_markers_only_ever_leave_blocks_out(
    blocks: list[Block], markers: list[tuple[int, int, Marker]]
) -> None:
    kept = without_ignored(blocks, markers)
    assert [b for b in blocks if b in kept] == kept
    if not any(m is Marker.START for *_, m in markers):
        # Without ranges, each "ignore" leaves out one block at most.
        assert len(blocks) - len(kept) <= sum(m is Marker.IGNORE for *_, m in markers)


words = st.lists(
    st.sampled_from(["alpha", "beta", "gamma", "delta", "épée", "x1"]), min_size=1, max_size=8
)


@given(
    st.lists(
        st.tuples(st.sampled_from(["", "- ", "> ", "1. ", "   "]), words, words),
        min_size=1,
        max_size=6,
    )
)
def test_markdown_positions_point_at_the_text(
    blocks: list[tuple[str, list[str], list[str]]],
) -> None:
    source = "\n\n".join(
        f"{prefix}{' '.join(first)}\n{' ' * len(prefix)}{' '.join(rest)}"
        for prefix, first, rest in blocks
    )
    from dedup.readers.markdown import read_markdown

    (document,) = read_markdown(source, "page.md", ReadConfig())
    lines = source.split("\n")
    assert len(document.paragraphs) == len(blocks)
    for paragraph, (_, first, _) in zip(document.paragraphs, blocks, strict=True):
        assert paragraph.line is not None and paragraph.column is not None
        assert lines[paragraph.line - 1][paragraph.column - 1 :].startswith(" ".join(first))
        assert paragraph.end_line == paragraph.line + 1


def test_docstring_examples_hold() -> None:
    for name in ("dedup.readers.markup", "dedup.readers.files"):
        results = doctest.testmod(importlib.import_module(name))
        assert results.failed == 0


# --- Which files of a folder ---------------------------------------------------------------


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in (
        "a.md",
        "b.rst",
        "c.html",
        "d.txt",
        "skip.png",
        "build/e.md",
        "docs/f.md",
        "docs/drafts/g.md",
        ".hidden/h.md",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("Text.\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("build/\n.hidden/\n", encoding="utf-8")
    return tmp_path


def listed(folder: Path, endings: tuple[str, ...], config: ReadConfig) -> list[Path]:
    """The files of ``folder`` with one of ``endings`` that a scan reads."""
    found = folder_files(str(folder), lambda name: name.endswith(endings), config, print)
    return [Path(path) for path in found]


def names(tree: Path, config: ReadConfig) -> list[str]:
    return [
        p.relative_to(tree).as_posix()
        for p in listed(tree, (".md", ".rst", ".html", ".txt"), config)
    ]


ALL = ["a.md", "b.rst", "build/e.md", "c.html", "d.txt", "docs/drafts/g.md", "docs/f.md"]


def test_outside_git_every_file_is_read(tree: Path) -> None:
    assert names(tree, ReadConfig()) == sorted([*ALL, ".hidden/h.md"])


def test_inside_git_ignored_files_are_not_read(tree: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git(tree, "init", "-q")
    expected = [n for n in ALL if not n.startswith("build/")]
    assert names(tree, ReadConfig()) == expected
    assert names(tree, ReadConfig(gitignore=False)) == sorted([*ALL, ".hidden/h.md"])
    # A subfolder is listed by git too, with paths from that subfolder.
    assert [p.name for p in listed(tree / "docs", (".md",), ReadConfig())] == ["g.md", "f.md"]


@pytest.mark.parametrize(
    ("patterns", "left_out"),
    [
        (("docs/drafts/",), ["docs/drafts/g.md"]),
        (("*.rst", "*.html"), ["b.rst", "c.html"]),
        (("docs/**", "!docs/f.md"), ["docs/drafts/g.md"]),
        (("/a.md",), ["a.md"]),
    ],
    ids=["folder", "endings", "negation", "anchored"],
)
def test_exclude_patterns(tree: Path, patterns: tuple[str, ...], left_out: list[str]) -> None:
    kept = names(tree, ReadConfig(exclude=patterns, gitignore=False))
    assert sorted(set(ALL) - set(kept)) == left_out


def test_named_files_are_read_even_when_excluded(tree: Path) -> None:
    config = ReadConfig(exclude=("*.md",))
    assert expand_paths([str(tree / "a.md")], config) == [str(tree / "a.md")]


def test_unreadable_html_is_an_input_error(tmp_path: Path) -> None:
    page = write(tmp_path, "page.html", "<html>" + "<div>" * 300 + "</html>")
    try:
        paragraphs(page)
    except InputError as err:
        assert "page.html" in str(err)
