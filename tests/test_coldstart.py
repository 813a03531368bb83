"""What a fresh process loads: the cold-start work of docs/performance.md stays done.

No timings (they belong to benchmarks/bench_coldstart.py): each test starts a fresh
interpreter, does one thing a user does, and lists the modules and fonts it loaded.
These are the places where a heavy library is imported only when it is needed:

- pydantic and PyYAML: the loaders (content.py), imported by ``build._prepare`` and by
  the commands that read content, never by the command line itself, so a build that
  draws a kept handout (prepared.py; tests/test_prepared.py) never loads them;
- reportlab, uharfbuzz, python-bidi, ICU: in handouts/pdf/ and the script modules it
  uses, imported by the ``build`` command when it renders (cli.py, build.py);
- Babel and its CLDR data: l10n.py, on the first number, unit or date formatted;
- Jinja: text.py, only for a text that is more than plain ``{{ name.key }}`` names;
- Pillow: content.py, when a brand's logo is checked;
- a font file: fonts.register, when a handout draws with that face.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RENDERING = {"reportlab", "uharfbuzz", "bidi", "icu4py", "PIL"}
NOT_AT_START = RENDERING | {"babel", "jinja2", "pikepdf", "tqdm", "textstat", "distributed", "pydantic", "yaml"}
# The standard library's web and mail stack, which nothing of a build needs (xml.sax.saxutils
# would bring it in: pdf/writer.py escapes with html.escape instead).
WEB = {"urllib.request", "http.client", "ssl"}


def loaded(code: str) -> tuple[set[str], list[str]]:
    """Modules (full names) and reportlab fonts registered after running ``code`` in a
    fresh interpreter started in the repository root."""
    report = (
        "import json, sys\n"
        "fonts = sys.modules['reportlab.pdfbase.pdfmetrics'].getRegisteredFontNames() "
        "if 'reportlab.pdfbase.pdfmetrics' in sys.modules else []\n"
        "print(json.dumps([sorted(sys.modules), sorted(fonts)]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", f"{code}\n{report}"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    modules, fonts = json.loads(run.stdout.splitlines()[-1])
    return set(modules), fonts


def cli(*args: str) -> str:
    """Run the command line in-process of the fresh interpreter, as ``python generate.py`` does."""
    return (
        "import sys\n"
        "from handouts.cli import main\n"
        "try:\n"
        f"    main({list(args)!r})\n"
        "except SystemExit as exit:\n"
        "    assert exit.code in (0, None), exit.code\n"
    )


def packages(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_importing_the_command_line_loads_no_renderer_no_locale_data_and_no_jinja():
    modules, fonts = loaded("import handouts.cli")
    assert packages(modules) & NOT_AT_START == set()
    assert fonts == []


def test_help_loads_no_renderer_no_locale_data_and_no_jinja():
    modules, _ = loaded(cli("--help"))
    assert packages(modules) & NOT_AT_START == set()


@pytest.mark.parametrize(("lang", "families"), [("en", {"NotoSans"}), ("ar", {"NotoSansArabic"})])
def test_a_build_of_shipped_content_loads_neither_jinja_nor_the_web_nor_other_scripts_fonts(tmp_path, lang, families):
    modules, fonts = loaded(cli("build", "baclofen", "--lang", lang, "-o", str(tmp_path / "out.pdf")))
    assert (tmp_path / "out.pdf").stat().st_size > 0
    assert "jinja2" not in packages(modules)
    assert modules & WEB == set()
    assert {font.split("-")[0] for font in fonts} - {"Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats"} <= (
        families | {"NotoSans"}  # Latin digits and punctuation inside Arabic text
    )


def test_a_text_with_more_than_plain_names_is_still_given_to_jinja():
    """The laziness is an optimisation, not a second language: a shared template text
    with a bracketed key (valid, rare) goes through Jinja and prints the same."""
    modules, _ = loaded(
        "from pathlib import Path\n"
        "from handouts import text\n"
        "from handouts.loader import Source\n"
        "context = {'facts': {'dose': '5 mg'}}\n"
        "out = text.render(\"{{ facts['dose'] }} a day\", context, Source(Path('x.yaml'), None), ())\n"
        "assert text.unmark(out) == '5 mg a day', out\n"
    )
    assert "jinja2" in packages(modules)
