"""Every page in the class's language (core/i18n.py, ui/language.py): the catalogs hold every
sentence the code marks, with the same placeholders, checked by Babel's own checkers and compiled
as shipped; a page opened in a language shows none of the English it has a translation for; the
language comes from the link, else the browser, and stays the learner's own."""

import ast
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from core import i18n
from tests.conftest import ROOT
from tests.test_class_lab_page import lab_env  # noqa: F401 - a fixture: the lab's database and the default network
from tests.test_polls_page import room  # noqa: F401 - a fixture: a class lab room in SQLite
from ui.lessons import LESSONS

TRANSLATED = [code for code in i18n.LANGUAGES if code != i18n.ENGLISH]
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def marked_messages():
    """Every sentence the code marks with _(), N_() or ngettext(), as pybabel extracts it (babel.cfg)."""
    method_map = [("app.py", "python"), ("lessons/**.py", "python"), ("ui/**.py", "python"), ("core/**.py", "python")]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), method_map):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def catalog(language):
    with open(ROOT / "locales" / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=language)


def test_every_marked_sentence_has_a_translation_in_every_language_with_the_same_placeholders():
    marked = marked_messages()
    assert len(marked) > 40
    for language in TRANSLATED:
        translations = {message.id: message for message in catalog(language) if message.id}
        missing = [message for message in marked if message not in translations]
        assert not missing, (language, missing)
        for message in marked:
            entry = translations[message]
            strings = entry.string if isinstance(entry.string, (list, tuple)) else [entry.string]
            assert all(strings) and not entry.fuzzy, (language, message)
            ids = message if isinstance(message, tuple) else (message,)
            for string in strings:
                assert set(PLACEHOLDER.findall(string)) == set(PLACEHOLDER.findall(ids[0])), (language, message)


def test_babels_checkers_find_nothing_and_plural_forms_are_the_languages():
    expected_plurals = {"es": 3, "de": 2, "zh": 1}  # CLDR's, as Babel knows them
    for language in TRANSLATED:
        found = catalog(language)
        assert found.num_plurals == expected_plurals[language]
        problems = [(message.id, errors) for message, errors in found.check() if errors]
        assert not problems, (language, problems)


CJK_PUNCTUATION = "。，、：；！？）」』”"


def test_chinese_bold_closes_where_markdown_can_see_it():
    """Markdown closes ** after punctuation only before a space or more punctuation: in
    "**不是损失。**假设" the bold never closes, so the mark goes before the full stop."""
    punctuation = CJK_PUNCTUATION + "（「『“.,:;!?()"
    wrong = []
    texts = [
        text
        for message in catalog("zh")
        for text in ([message.string] if isinstance(message.string, str) else message.string)
    ]
    for text in texts:
        closers = [match.start() for match in re.finditer(r"\*\*", text)][1::2]
        for at in closers:
            after = text[at + 2 : at + 3]
            if at and text[at - 1] in punctuation and after and not (after.isspace() or after in punctuation):
                wrong.append(text)
    assert not wrong


def test_the_compiled_catalogs_are_the_po_files_compiled():
    for language in TRANSLATED:
        compiled = io.BytesIO()
        write_mo(compiled, catalog(language))
        shipped = (ROOT / "locales" / language / "LC_MESSAGES" / "messages.mo").read_bytes()
        assert shipped == compiled.getvalue(), f"run: pybabel compile -d locales ({language})"


@pytest.mark.parametrize(
    "name, code",
    [
        ("de", "de"),
        ("de-DE", "de"),
        ("DE_at", "de"),
        ("es-419", "es"),
        ("zh", "zh"),
        ("zh-Hans", "zh"),
        ("zh-CN", "zh"),
        ("zh-Hans-CN", "zh"),
        ("en-GB", "en"),
        ("fr-FR", None),
        ("", None),
        (None, None),
        ("de'><script>", None),
    ],
)
def test_a_links_or_browsers_language_is_read_as_the_app_speaks_it(name, code):
    assert i18n.language_of(name) == code


def test_the_link_wins_over_the_browser_and_english_is_the_last_resort():
    assert i18n.chosen("es", "de-DE") == "es"
    assert i18n.chosen("xx", "de-DE") == "de"
    assert i18n.chosen(None, "fr-FR") == "en"


@pytest.mark.parametrize(
    "language, share, expected_number, expected_percent",
    [
        # the digits each language writes (CLDR), typed here independently of Babel
        ("en", 0.375, "1,234.50", "37.5%"),
        ("es", 0.375, "1.234,50", "37,5\u00a0%"),
        ("de", 0.375, "1.234,50", "37,5\u00a0%"),
        ("zh", 0.375, "1,234.50", "37.5%"),
    ],
)
def test_numbers_in_prose_are_written_as_each_language_writes_them(
    monkeypatch, language, share, expected_number, expected_percent
):
    monkeypatch.setattr(i18n, "speaking", lambda: language)
    assert i18n.number(1234.5, 2) == expected_number
    assert i18n.percent(share, 1) == expected_percent


@pytest.mark.parametrize("value", [1234.5678, 0.0012345, 3.0, 0.5, 98.76543, 7.0e-5, 0.0])
def test_significant_digits_round_as_pythons_g_does(monkeypatch, value):
    for language, point in (("en", "."), ("de", ",")):
        monkeypatch.setattr(i18n, "speaking", lambda language=language: language)
        written = i18n.number(value, significant=4)
        assert float(written.replace(point, ".")) == float(f"{value:.4g}"), (language, written)
        assert written != "0" + point + "0"  # zero is "0", as :g writes it


def shown_texts(app):
    """Every text a page shows: titles, headings, text, captions, notices, links, metrics, expanders,
    tabs and widget labels."""
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")
    parts = [element.value for kind in kinds for element in app.get(kind)]
    labelled = ("toggle", "selectbox", "button", "slider", "number_input", "metric", "expander", "tab", "radio")
    parts += [str(getattr(element, "label", "")) for kind in labelled for element in app.get(kind)]
    return parts + [element.proto.label for element in app.get("page_link")]


def visible_text(app):
    return "\n".join(shown_texts(app))


def catalog_string(language, english):
    return next(message.string for message in catalog(language) if message.id == english)


def english_left(texts, language):
    """The catalog's English sentences still on a page: a text that is one, or that holds a long one."""
    translations = {
        message.id: message.string for message in catalog(language) if isinstance(message.id, str) and message.id
    }
    english = [english for english, string in translations.items() if english != string]
    return [
        sentence
        for sentence in english
        for text in texts
        if text == sentence or (len(sentence) > 30 and sentence in text)
    ]


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("path", ["lessons/home.py"] + [lesson.path for lesson in LESSONS])  # every page
def test_a_page_in_a_language_shows_none_of_the_english_it_has_a_translation_for(open_page, language, path):
    app = open_page(path, params={"lang": language})
    assert not english_left(shown_texts(app), language)
    translations = [message.string for message in catalog(language) if isinstance(message.id, str) and message.id]
    assert sum(string in visible_text(app) for string in translations) >= 3  # its own words are there instead


def test_a_browser_in_german_gets_german_and_a_link_in_spanish_gets_spanish(open_page, monkeypatch):
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    monkeypatch.setattr("ui.language.chosen", lambda link=None, browser=None: i18n.chosen(link, "de-DE"))
    app.run()
    assert app.title[0].value == "Neuronale Netze entdecken"
    spanish = open_page("lessons/home.py", params={"lang": "es-ES"})
    assert spanish.title[0].value == "Explorador de redes neuronales"
    assert spanish.query_params["lang"] == "es"  # respelt as the app writes it


def test_the_language_is_kept_in_the_share_link_and_never_held_by_a_teacher(open_page):
    from ui.controls import Controls

    app = open_page("lessons/loss.py", params={"lang": "de", "show": "m"})
    assert app.sidebar.selectbox(key="lang").value == "de"  # the picker stays: a learner's language is theirs
    assert "lang" not in Controls().held_by(["m"])[0]
    assert "lang=de" in Controls().link("/loss", {"lang": "de", "classroom": False})
    app.sidebar.selectbox(key="lang").set_value("zh").run()
    assert app.query_params["lang"] == "zh" and "下一课：感知机" in visible_text(app)


def test_the_picker_changes_the_language_and_the_next_page_keeps_it(open_page):
    app = open_page("lessons/home.py")
    app.sidebar.selectbox(key="lang").set_value("zh").run()
    assert app.title[0].value == "神经网络探索"
    app.switch_page("lessons/loss.py").run()
    assert "上一课" not in visible_text(app) and "下一课：感知机" in visible_text(app)


@pytest.mark.slow
def test_a_student_following_a_german_teacher_keeps_their_own_language(open_page, room):  # noqa: F811
    lab, made = room
    teacher = open_page("lessons/descent.py", params={"room": made.code, "key": made.teacher_key, "lang": "de"})
    student = open_page("lessons/descent.py", params={"room": made.code, "lang": "es"})
    teacher.switch_page("lessons/hidden_layers.py").run()
    student.run()
    assert "Siguiente: Retropropagación" in visible_text(student)  # followed, in Spanish
    assert "Weiter: Backpropagation" in visible_text(teacher)


def test_no_module_that_translates_reuses_the_names_of_the_translation_functions():
    """`_`, `shown`, `number`… are core.i18n's: a module that imports one and also assigns that
    name (a throwaway `_`, a local `shown`) would call a value, or fail as an unbound local."""
    for path in [ROOT / "app.py", *ROOT.glob("lessons/*.py"), *ROOT.glob("ui/**/*.py"), *ROOT.glob("core/**/*.py")]:
        tree = ast.parse(Path(path).read_text())
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "core.i18n"
            for alias in node.names
        }
        stored = [
            (node.id, node.lineno)
            for node in ast.walk(tree)
            if isinstance(node, ast.Name) and node.id in imported and isinstance(node.ctx, ast.Store)
        ]
        assert not stored, (path, stored)


@pytest.mark.slow
def test_a_poll_asked_in_german_appears_in_each_students_language(open_page, room):  # noqa: F811
    from core.lab.polls import Polls
    from tests.test_polls_page import click, texts

    lab, made = room
    teacher = open_page(
        "lessons/loss.py", params={"room": made.code, "key": made.teacher_key, "classroom": "true", "lang": "de"}
    )
    assert "Eine Vorhersage ist um 2 zu niedrig" in texts(teacher)
    click(teacher, catalog_string("de", "Ask the class"))
    spanish, chinese = (open_page("lessons/loss.py", params={"room": made.code, "lang": code}) for code in ("es", "zh"))
    assert "Una predicción se queda 2 por debajo" in texts(spanish)
    assert "一个预测低了 2" in texts(chinese)
    assert Polls(lab).current(made.code).text.startswith("One prediction is 2 too low")  # kept in English


def test_a_sentence_with_values_is_kept_as_data_and_shown_in_each_language(monkeypatch):
    kept = i18n.sentence(
        i18n.N_("Adding Δ = {delta} to {weight}: will the perceptron's answer flip?"), delta="0.2", weight="w1"
    )
    assert i18n.english(kept) == "Adding Δ = 0.2 to w1: will the perceptron's answer flip?"
    monkeypatch.setattr(i18n, "speaking", lambda: "de")
    assert i18n.shown(kept) == "Δ = 0.2 zu w1 addieren: Kippt die Antwort des Perzeptrons?"
    assert i18n.shown("it flips") == "sie kippt" and i18n.english("it flips") == "it flips"
    assert i18n.shown("{not a sentence}") == "{not a sentence}" and i18n.shown("0") == "0"


def test_a_choice_named_in_one_language_opens_in_anothers():
    """A select whose options are sentences (lesson 4's surfaces): a Spanish link opened in German
    keeps the learner's surface, shown and respelt in German; English names are read too."""
    from ui.controls import Select

    surface = Select("surface", "Loss surface", ("Round bowl", "Long valley"), "Round bowl", "", translated=True)
    for raw in ("Valle alargado", "long valley", "狭长山谷"):
        assert surface.problem(raw) is None
        assert surface.value_of(raw) == "Long valley"
    assert surface.problem("Valle") is not None


def test_a_spanish_surface_in_a_german_link(open_page):
    app = open_page("lessons/descent.py", params={"lang": "de", "surface": "Valle alargado"})
    assert app.selectbox(key="surface").value == "Long valley"
    assert app.query_params["surface"] == "Langes Tal"  # respelt as the page shows it
    assert "Dieser Link enthielt Werte" not in visible_text(app) and not app.exception


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_code_listings_comments_speak_the_language(monkeypatch, language):
    """A listing's comments (its templates' and the reasons given for each layer) are in the reader's
    language; the code is the same code."""
    from core.code import digits, networks
    from core.digits import config
    from core.lessons import backprop

    def listings_code():
        network = backprop.Network.random(backprop.SIZES, seed=0)
        made = [digits.handwriting_page(config.PRESETS[preset]) for preset in config.PRESETS]
        return [
            "\n".join(step.code for step in listing.steps)
            for listing in [*made, networks.backprop_page(network, (1.0, 0.0), 1.0)]
        ]

    def without_comments(code):
        return [line.split("  #")[0].rstrip() for line in code.splitlines() if not line.lstrip().startswith("#")]

    english = listings_code()
    monkeypatch.setattr(i18n, "speaking", lambda: language)
    words = i18n.catalog(language).gettext
    for before, after in zip(english, listings_code()):
        comments = {line.split("# ", 1)[1] for line in before.splitlines() if "# " in line}
        translated = {comment for comment in comments if words(comment) != comment}
        assert translated  # the check can see a translated comment
        assert all(f"# {words(comment)}" in after and f"# {comment}\n" not in after for comment in translated)
        assert without_comments(before) == without_comments(after)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_each_languages_readme_opens_with_the_lessons_as_the_app_names_them(language):
    """README.md and its opening in each other language (README.<code>.md): the story's lessons,
    in order, each by the title the app gives it in that language, and links to the others."""
    readme = ROOT / ("README.md" if language == i18n.ENGLISH else f"README.{language}.md")
    text = readme.read_text()
    listed = re.findall(r"^\d+\. \*\*(.+?)\*\*", text, flags=re.M)
    assert listed == [i18n.catalog(language).gettext(lesson.title) for lesson in LESSONS]
    others = {f"README.{code}.md" for code in i18n.LANGUAGES if code not in (i18n.ENGLISH, language)}
    assert all(f"]({other})" in text for other in others)


def test_a_links_unusable_values_are_reported_in_the_readers_language(open_page):
    """Each reason a link's value was not used is said in German, with its numbers, and the choices of
    a select as the page names them."""
    params = {"lang": "de", "m": "99", "show": "nothing"}
    app = open_page("lessons/loss.py", params=params)
    notice = " ".join(info.value for info in app.info if "Dieser Link" in info.value)
    slope = app.slider(key="m")
    low, high = (f"{value:g}" for value in (slope.min, slope.max))
    assert f"muss eine Zahl von {low} bis {high} sein" in notice
    assert "nennt kein Steuerelement dieser Seite" in notice
    assert "must be" not in notice and not app.exception


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_playground_after_training_speaks_the_language(open_page, language):
    """Lesson 5 once trained: its scores, captions, layers' pictures and the four-class table."""
    app = open_page("lessons/hidden_layers.py", params={"lang": language, "dataset": "Four blobs", "layers": "2"})
    press(app, language, "Train 10 epochs")
    assert [metric.label for metric in app.metric][:2] == [
        catalog_string(language, "Epoch"),
        catalog_string(language, "Training accuracy"),
    ]
    assert not english_left(shown_texts(app), language)
    assert not app.exception


def press(app, language, *labels):
    """Click the buttons with these English labels, as the page shows them in `language`."""
    for label in labels:
        shown_as = catalog_string(language, label)
        next(button for button in app.button if button.label == shown_as).click().run()
    return app


@pytest.mark.parametrize("language", TRANSLATED)
def test_backpropagation_worked_through_speaks_the_language(open_page, language):
    """Lesson 6 after Forward, Update and Backward: both passes' words, the table, the cost chart."""
    app = press(open_page("lessons/backprop.py", params={"lang": language}), language, "Forward", "Update", "Backward")
    assert catalog_string(language, "Backward pass: from the cost to every slope") in [h.value for h in app.subheader]
    assert not english_left(shown_texts(app), language)
    assert not app.exception


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_room_of_the_class_lab_speaks_the_language(open_page, lab_env, language):  # noqa: F811
    """Lesson 9 in a room, as its teacher sees it: the room's links and door, the pad, the lab."""
    from core.lab import store

    made = store.Lab().create_room()
    params = {"room": made.code, "key": made.teacher_key, "lang": language}
    app = open_page("lessons/class_lab.py", timeout=120, params=params)
    assert catalog_string(language, "Add a drawing to our set") in [heading.value for heading in app.subheader]
    assert not english_left(shown_texts(app), language)
    assert not app.exception
