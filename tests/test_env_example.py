"""`.env.example` documents every environment variable the settings read."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def variables_read_by_settings() -> set[str]:
    text = (ROOT / "chiia" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r'(?:env_\w+\(|environ\.get\(|env=)\s*"([A-Z][A-Z0-9_]+)"', text))


def test_every_setting_variable_is_documented_with_a_comment():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    lines = example.splitlines()
    documented = {}
    for index, line in enumerate(lines):
        match = re.match(r"([A-Z][A-Z0-9_]+)=", line)
        if match:
            documented[match.group(1)] = index
    read = variables_read_by_settings()
    assert len(read) > 20
    assert read - set(documented) == set(), "add these to .env.example"
    for name, index in documented.items():
        assert lines[index - 1].startswith("#"), f"{name} needs a comment line above it"
