"""Formula cells that an .xlsx holds without their value, and the cells whose value is not typed at all.

A workbook keeps, beside each formula, the value Excel last computed for it. A file written by a program rather
than saved by Excel (a script, some exports) often has the formula alone, and a reader that takes cached values
(calamine does) sees an empty cell: a CCCD typed as ``=TEXT(A2;"0")`` would be imported as no number at all. This
module finds those cells, so the import can call each one an error of its row instead of reading it as empty.

Formulas with their value, and error values (#N/A, which readers give as an empty cell), are found on the way, for
the columns where only a typed value will do (an import's numbers).

Most lists hold no formula at all: the first sheet is streamed once and parsed only when it holds a ``<f>`` tag.
"""

import posixpath
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

from .upload_guard import cell_position, local_name, row_position

CHUNK = 256 * 1024
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _attributes_by_local_name(attributes):
    return {name.rpartition(" ")[2]: value for name, value in attributes.items()}


def _first_sheet_part(archive):
    """The part of the workbook's first sheet, the one the import reads (``get_sheet_by_index(0)``), or None."""
    first, targets = [], {}

    def in_workbook(name, attributes):
        if name.endswith(" sheet") and not first:
            first.append(attributes.get(f"{_RELATIONSHIPS} id"))

    def in_relationships(name, attributes):
        if name.endswith(" Relationship") or name == "Relationship":
            named = _attributes_by_local_name(attributes)
            targets[named.get("Id")] = named.get("Target", "")

    for part, handler in (("xl/workbook.xml", in_workbook), ("xl/_rels/workbook.xml.rels", in_relationships)):
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = handler
        parser.Parse(archive.read(part), True)
    target = targets.get(first[0]) if first else None
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def _has_formula(stream):
    """Whether the part holds a formula element (``<f>``, with or without a namespace prefix) or an error cell
    (``t="e"``), read in chunks."""
    tail = b""
    while chunk := stream.read(CHUNK):
        window = tail + chunk
        if any(tag in window for tag in (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/", b't="e"', b"t='e'")):
            return True
        tail = chunk[-8:]
    return False


@dataclass
class Formulas:
    """The first sheet's cells whose value is not typed: each a {row number: [column index from 0]}."""

    uncomputed: dict = field(default_factory=dict)  # formulas saved without their value
    computed: dict = field(default_factory=dict)  # formulas with the value Excel computed
    errors: dict = field(default_factory=dict)  # error values (#N/A, #VALUE!, #REF! …), which readers give as empty


def _scan(stream):
    """The formula and error cells of the sheet part ``stream``."""
    found = Formulas()
    row = column = 0
    cell = {"formula": False, "error": False, "value": ""}
    in_value = False

    def start(name, attributes):
        nonlocal row, column, in_value
        name = local_name(name)
        if name == "row":
            row, column = row_position(attributes.get("r"), row), 0
        elif name == "c":
            row, column = cell_position(attributes.get("r"), row, column)
            cell.update(formula=False, error=attributes.get("t") == "e", value="")
        elif name == "f":
            cell["formula"] = True
        elif name == "v":
            in_value = True

    def end(name):
        nonlocal in_value
        name = local_name(name)
        if name == "v":
            in_value = False
        elif name == "c":
            if cell["error"]:
                found.errors.setdefault(row, []).append(column - 1)
            elif cell["formula"]:
                kind = found.computed if cell["value"].strip() else found.uncomputed
                kind.setdefault(row, []).append(column - 1)

    def text(data):
        if in_value:
            cell["value"] += data

    parser = expat.ParserCreate()
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    while chunk := stream.read(CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)
    return found


def sheet_formulas(path):
    """The first sheet's formula and error cells (``Formulas``); empty when it has none.

    A file this cannot make sense of is left to the reader, which says so in its own words.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            part = _first_sheet_part(archive)
            if part is None:
                return Formulas()
            with archive.open(part) as stream:
                if not _has_formula(stream):
                    return Formulas()
            with archive.open(part) as stream:
                return _scan(stream)
    except (zipfile.BadZipFile, KeyError, expat.ExpatError, OSError, ValueError):
        return Formulas()
