"""Puts French typography into the French catalogue, in place (run from the repository root).

``python scripts/french_typography.py`` puts a narrow no-break space (U+202F) before ; : ! ?
and inside « », and names commands as a French client shows them (``/standings after_round:5``
→ ``/classement apres_manche:5``). Run it after adding French texts;
``tests/test_i18n_french.py`` checks the result. Placeholders, option syntax
(``after_round:5``) and times (``08:00``) are left alone.
"""

from __future__ import annotations

import io
import re

from babel.messages.pofile import read_po, write_po

from bot.i18n import command_line
from bot.i18n.catalogue import po_path

NNBSP = "\u202f"
PLACEHOLDER = re.compile(r"(\{[^{}]*\})")


def french(text: str) -> str:
    parts = PLACEHOLDER.split(text)  # odd indexes are placeholders, kept as they are
    for i in range(0, len(parts), 2):
        part = re.sub(r"(?:[ \u00a0]|^)([;:!?])(?=\s|$|\*|\))", NNBSP + r"\1", parts[i])
        part = re.sub(r"«[ \u00a0\u202f]?", "«" + NNBSP, part)
        parts[i] = re.sub(r"[ \u00a0\u202f]?»", NNBSP + "»", part)
    return command_line("fr", "".join(parts))


def main() -> None:
    path = po_path("fr")
    with path.open("rb") as f:
        catalogue = read_po(f)
    for message in catalogue:
        if message.id and message.context is None:
            if isinstance(message.string, tuple):
                message.string = tuple(french(s) for s in message.string)
            else:
                message.string = french(message.string)
    out = io.BytesIO()
    write_po(out, catalogue, width=100, include_lineno=False, no_location=True)
    text = out.getvalue().decode().replace('"Report-Msgid-Bugs-To: EMAIL@ADDRESS\\n"\n', "")
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
