"""Moving code between modules must not move a page: every URL name keeps its path."""

from pathlib import Path

from .url_names import url_names

BEFORE = Path(__file__).with_name("url_names_before.txt")


def test_every_url_name_resolves_to_the_path_it_had_before_the_house_was_reorganised():
    recorded = dict(line.split(" ", 1) for line in BEFORE.read_text().splitlines() if line)
    now = url_names()
    assert {name: now.get(name) for name in recorded} == recorded  # pages added since are welcome
