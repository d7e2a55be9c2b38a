"""The translation check flags empty and fuzzy entries, and passes on the committed catalogue."""

import pytest
from django.core.management import call_command

from egov.core.management.commands.check_translations import untranslated

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#: a.py:1
msgid "Done"
msgstr "Xong"

#: a.py:2
msgid "Missing"
msgstr ""

#: a.py:3
#, fuzzy, python-format
#| msgid "Old"
msgid "Guessed %(n)s"
msgstr "Đoán %(n)s"

#: a.py:4
msgid "One file"
msgid_plural "%(n)s files"
msgstr[0] ""

#: a.py:5
msgid ""
"Long "
"text"
msgstr ""
"Văn bản "
"dài"

#~ msgid "Gone"
#~ msgstr ""
"""


def test_untranslated_lists_empty_fuzzy_and_plural_entries_only() -> None:
    assert untranslated(PO) == [
        ("Missing", "untranslated"),
        ("Guessed %(n)s", "fuzzy"),
        ("One file", "untranslated"),
    ]


@pytest.mark.slow
def test_the_committed_catalogue_translates_every_string() -> None:
    call_command("check_translations")
