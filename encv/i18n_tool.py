"""Catalogue upkeep behind ``make i18n`` and ``encv i18n ...`` (spec §9).

Two message sets, each with its own ``messages.pot``:

* ``ui``: ``ui/locale``, extracted from ``ui/`` (14 locales);
* ``redirect``: ``api/redirect/locale``, extracted from ``api/redirect`` (38).

``sync`` extracts the template, adds new ids to every locale's ``.po``, drops
ids nobody uses any more, writes ``jp`` (a second Japanese directory the
original ships) from ``ja`` and compiles every ``.mo``. ``import-json`` merges
translators' ``<set>/<locale>.json`` files (id -> text) into the ``.po`` files,
refusing texts whose printf placeholders differ from the English ones.
The ``.mo`` files are committed; a test proves each equals a fresh compile.
"""

from __future__ import annotations

import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
UI_LOCALES = "ar bn de en es fil fr id it ja mn pt th tr".split()
REDIRECT_LOCALES = (
    "af am ar bn de en es fa fil fr hi id it ja jp km ko mn my ne om pa ps pt ro"
    " ru sw ta te th ti tr uk ur vi zh_CN zh_HK zu"
).split()
# Directories that are generated copies of another locale, never edited.
COPIES = {"jp": "ja"}
HEADER = (
    "# encv messages, locale {locale}: ids are namespaced (spec 9), the en\n"
    "# catalogue holds the English text. Update with `make i18n`; import\n"
    "# translators' JSON with `encv i18n import-json DIR`."
)
_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*\d*(?:\.\d+)?[a-zA-Z%]")


@dataclass(frozen=True)
class MessageSet:
    """One translated surface: where its sources and catalogues live."""

    name: str
    sources: str
    locale_dir: str
    locales: tuple[str, ...]

    @property
    def directory(self) -> Path:
        return ROOT / self.locale_dir

    @property
    def template(self) -> Path:
        return self.directory / "messages.pot"

    def po(self, locale: str) -> Path:
        return self.directory / locale / "LC_MESSAGES" / "messages.po"

    def mo(self, locale: str) -> Path:
        return self.po(locale).with_suffix(".mo")


SETS = {
    "ui": MessageSet("ui", "ui", "ui/locale", tuple(UI_LOCALES)),
    "redirect": MessageSet(
        "redirect", "api/redirect", "api/redirect/locale", tuple(REDIRECT_LOCALES)
    ),
}


def placeholders(text: str) -> list[str]:
    """Return the printf placeholders of ``text`` (``%%`` excluded), sorted."""
    return sorted(p for p in _PLACEHOLDER.findall(text or "") if p != "%%")


def read_catalog(path: Path) -> Catalog:
    """Read one ``.po`` file."""
    with path.open("rb") as handle:
        return read_po(handle)


def write_catalog(path: Path, catalog: Catalog) -> None:
    """Write one ``.po`` file the way every tool here writes it (stable diffs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.header_comment = HEADER.format(locale=catalog.locale_identifier)
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=0,
        omit_header=False,
        no_location=True,
        sort_output=True,
        ignore_obsolete=True,
    )
    path.write_bytes(buffer.getvalue())


def compiled(po: Path) -> bytes:
    """Return the ``.mo`` bytes of ``po`` (what ``compile`` writes)."""
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(po), use_fuzzy=False)
    return buffer.getvalue()


def extract(mset: MessageSet, output: Path | None = None) -> None:
    """Write the set's ``messages.pot`` (or ``output``) from templates and Python."""
    output = output or mset.template
    output.parent.mkdir(parents=True, exist_ok=True)
    CommandLineInterface().run(
        [
            "pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"),
            "-k", "t", "-k", "N_", "--no-location", "--sort-output",
            "--omit-header", "-o", str(output), str(ROOT / mset.sources),
        ]
    )  # fmt: skip


def _fresh(locale: str) -> Catalog:
    return Catalog(locale=locale, project="encv", charset="utf-8", fuzzy=False)


def update(mset: MessageSet) -> None:
    """Give every locale of the set exactly the template's ids (texts kept)."""
    with mset.template.open("rb") as handle:
        template = read_po(handle)
    for locale in mset.locales:
        if locale in COPIES:
            continue
        path = mset.po(locale)
        catalog = read_catalog(path) if path.exists() else _fresh(locale)
        created = catalog.creation_date  # keep headers still between runs
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.creation_date = created
        catalog.obsolete.clear()
        for message in catalog:
            message.flags.discard("fuzzy")
        write_catalog(path, catalog)
    write_copies(mset)


def write_copies(mset: MessageSet) -> None:
    """Regenerate the copy directories (``jp`` from ``ja``)."""
    for copy, source in COPIES.items():
        if copy in mset.locales and mset.po(source).exists():
            mset.po(copy).parent.mkdir(parents=True, exist_ok=True)
            mset.po(copy).write_bytes(mset.po(source).read_bytes())


def compile_all(mset: MessageSet) -> None:
    """Compile every ``.po`` of the set to its ``.mo``."""
    for locale in mset.locales:
        mset.mo(locale).write_bytes(compiled(mset.po(locale)))


def sync(names: list[str] | None = None) -> None:
    """Extract, update and compile the named sets (all by default)."""
    for name in names or list(SETS):
        mset = SETS[name]
        extract(mset)
        update(mset)
        compile_all(mset)


def import_json(directory: Path, only: str | None = None) -> list[str]:
    """Merge ``<dir>/<set>/<locale>.json`` into the catalogues; return problems.

    With ``only`` (a set name), ``<dir>/<locale>.json`` are that set's files.
    """
    problems: list[str] = []
    for name, mset in SETS.items():
        if only and name != only:
            continue
        folder = directory if only else directory / name
        # English first: it defines the placeholders the others must keep.
        sources = sorted(folder.glob("*.json"), key=lambda p: (p.stem != "en", p.stem))
        for source in sources:
            locale = source.stem
            english = {m.id: m.string for m in read_catalog(mset.po("en")) if m.id}
            if locale not in mset.locales or locale in COPIES:
                problems.append(f"{source}: {locale} is not a {name} locale, skipped")
                continue
            texts = json.loads(source.read_text(encoding="utf-8"))
            catalog = read_catalog(mset.po(locale))
            for message_id, text in sorted(texts.items()):
                message = catalog.get(message_id)
                if message is None:
                    problems.append(f"{source}: unknown id {message_id}, skipped")
                    continue
                if not isinstance(text, str) or not text.strip():
                    continue
                wanted = placeholders(english.get(message_id, ""))
                if locale != "en" and placeholders(text) != wanted:
                    problems.append(
                        f"{source}: {message_id} placeholders {placeholders(text)}"
                        f" differ from English {wanted}, skipped"
                    )
                    continue
                message.string = text
            write_catalog(mset.po(locale), catalog)
        write_copies(mset)
        compile_all(mset)
    return problems


def _cmd_sync(args) -> int:
    unknown = set(args.sets) - set(SETS)
    if unknown:
        print(f"unknown message set(s): {sorted(unknown)}", file=sys.stderr)
        return 2
    sync(args.sets or None)
    return 0


def _cmd_import_json(args) -> int:
    if args.set and args.set not in SETS:
        print(f"unknown message set: {args.set}", file=sys.stderr)
        return 2
    problems = import_json(Path(args.directory), args.set)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if args.strict and problems else 0


def register(sub) -> None:
    """Add ``encv i18n sync|import-json`` to the command line."""
    i18n = sub.add_parser("i18n", help="message catalogues (make i18n)")
    i18n_sub = i18n.add_subparsers(dest="i18n_command", required=True)
    sync_cmd = i18n_sub.add_parser(
        "sync", help="extract ids, update every .po, write jp, compile .mo"
    )
    sync_cmd.add_argument("sets", nargs="*", help="ui and/or redirect (default both)")
    sync_cmd.set_defaults(func=_cmd_sync)
    imp = i18n_sub.add_parser(
        "import-json",
        help="merge DIR/ui/<locale>.json and DIR/redirect/<locale>.json",
    )
    imp.add_argument("directory")
    imp.add_argument(
        "--set", help="DIR holds <locale>.json of this set (ui or redirect) itself"
    )
    imp.add_argument(
        "--strict", action="store_true", help="exit 1 if anything was skipped"
    )
    imp.set_defaults(func=_cmd_import_json)
