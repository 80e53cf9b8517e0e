"""Fuzzing the configuration loader with kiosk.toml files built from its own schema (issue #14).

Every generated file either loads or raises ConfigError whose problems name the file (and a
line where there is one); nothing else escapes, whatever the types, sizes, URLs and nesting.
"""

from __future__ import annotations

import dataclasses
import json
import math
import typing
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from fuzz_helpers import ODD_TEXT, fuzz_settings
from kiosk.core.config import Config, ConfigError, load_config

SECTIONS = {f.name: typing.get_type_hints(Config)[f.name] for f in dataclasses.fields(Config)
            if f.name not in ("source", "topics") and dataclasses.is_dataclass(typing.get_type_hints(Config)[f.name])}
"""Each [section] of kiosk.toml and its dataclass, read from the schema."""



class Raw(str):
    """TOML text written as it is (what Python cannot even make a value of)."""


toml_key = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-", min_size=1, max_size=12)
odd = st.sampled_from([Raw("1" + "0" * 5000), Raw("[" * 3000 + "]" * 3000), Raw("{a = " * 600 + "1" + "}" * 600),
                       Raw("inf"), Raw("-inf"), Raw("nan"), 10 ** 350, -(10 ** 350), 2 ** 63, -1, 0,
                       "https://[::1/api/v1", "https://x:port/", "http://[fe80::1", "https://", "", "x" * 100_000])
"""Values that broke the loader once, or might: drawn often, for any key."""
scalar = (odd | st.booleans() | st.integers() | st.floats() | st.text(max_size=40) | ODD_TEXT
          | st.sampled_from(["https://receiver.example/api/v1", "http://10.0.0.1", "ftp://x", "#0b4f8a", "de", "en",
                             "$argon2id$v=19$x"]))
value = st.recursive(scalar, lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(toml_key, inner, max_size=3), max_leaves=6)


@st.composite
def config_tables(draw) -> dict[str, typing.Any]:
    """A kiosk.toml as data: known sections with their known keys (values of any type), unknown
    keys and sections here and there, topics of any shape."""
    data: dict[str, typing.Any] = {}
    for name in draw(st.lists(st.sampled_from(sorted(SECTIONS)), unique=True, max_size=len(SECTIONS))):
        keys = [f.name for f in dataclasses.fields(SECTIONS[name])]
        table = {k: draw(odd | value) for k in draw(st.lists(st.sampled_from(keys), unique=True, max_size=4))}
        table.update(draw(st.dictionaries(toml_key, value, max_size=1)))
        data[name] = table
    if draw(st.booleans()):
        data["topics"] = draw(st.lists(st.dictionaries(st.sampled_from(["id", "title", "goals", "icon", "x"]), value,
                                                       max_size=4), max_size=3))
    data.update(draw(st.dictionaries(toml_key, value, max_size=1)))
    return data


def toml_value(v: typing.Any, depth: int = 0) -> str:
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return repr(v) if abs(v) < 10 ** 4000 else "1" + "0" * 4300
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, str):
        return json.dumps(v)  # a TOML basic string is a JSON string (lone surrogates: not valid TOML, fine)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x, depth + 1) for x in v) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(x, depth + 1)}" for k, x in v.items()) + "}"


def to_toml(data: dict[str, typing.Any]) -> str:
    lines = [f"{json.dumps(k)} = {toml_value(v)}" for k, v in data.items() if not isinstance(v, dict)
             and k != "topics"]
    for name, table in data.items():
        if isinstance(table, dict):
            lines.append(f"[{json.dumps(name)}]")
            lines += [f"{json.dumps(k)} = {toml_value(v)}" for k, v in table.items()]
    for topic in data.get("topics", []) if isinstance(data.get("topics"), list) else []:
        lines.append("[[topics]]")
        lines += [f"{json.dumps(k)} = {toml_value(v)}" for k, v in topic.items()]
    return "\n".join(lines) + "\n"


def check(path: Path) -> None:
    try:
        load_config(path)
    except ConfigError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.file == str(path)
            assert problem.line is None or 1 <= problem.line <= path.read_text(errors="replace").count("\n") + 1
            assert str(problem).startswith(str(path))


@fuzz_settings(150)
@given(data=config_tables())
def test_any_config_built_from_the_schema_loads_or_names_its_problems(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("cfg") / "kiosk.toml"
    path.write_text(to_toml(data), encoding="utf-8", errors="surrogatepass")
    check(path)


@fuzz_settings(100)
@given(data=config_tables(), cut=st.floats(min_value=0, max_value=1), junk=st.binary(max_size=20))
def test_a_broken_file_names_its_problem(tmp_path_factory, data, cut, junk):
    """The same files cut short at any point, with bytes of anything thrown in."""
    text = to_toml(data).encode("utf-8", "surrogatepass")
    at = int(len(text) * cut)
    path = tmp_path_factory.mktemp("cfg") / "kiosk.toml"
    path.write_bytes(text[:at] + junk)
    check(path)


def test_the_emitter_writes_what_tomllib_reads_back():
    """The fuzzing tests what it means to: the emitted TOML is the data."""
    import tomllib

    data = {"kiosk": {"languages": ["de", "en"], "id": "k-1"}, "idle": {"timeout_s": 1.5},
            "sync": {"endpoint": "https://[::1/api/v1"}, "topics": [{"id": "a", "title": {"de": "A", "en": "B"}}]}
    assert tomllib.loads(to_toml(data)) == data
