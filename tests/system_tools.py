"""Tests that read results back with Debian tools (LibreOffice, poppler, zbar).

``scripts/system-packages.sh`` installs the tools; where it could not (no root), such a test is
skipped with the missing command named. CI sets ``SHEGONG_REQUIRE_SYSTEM_TOOLS=1``: there a
missing tool fails the test instead, so a skip can never pass for done.
"""

import os
import shutil

import pytest


def needs_commands(*commands: str):
    missing = [command for command in commands if shutil.which(command) is None]
    if missing and os.environ.get("SHEGONG_REQUIRE_SYSTEM_TOOLS") == "1":
        return pytest.mark.usefixtures()  # run it, and let the missing command fail it
    return pytest.mark.skipif(
        bool(missing),
        reason=f"{', '.join(missing)} not installed (scripts/system-packages.sh installs it)",
    )
