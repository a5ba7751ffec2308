"""The systemd units under deploy/systemd parse, and every command they start exists in this
checkout (paths under /srv/shegong swapped for it)."""

import shutil
import subprocess
from pathlib import Path

from tests.system_tools import needs_commands

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"


@needs_commands("systemd-analyze")
def test_units_parse_and_start_commands_of_this_checkout(tmp_path):
    names = sorted(path.name for path in UNITS.iterdir())
    assert names == [
        "shegong-periodic.service",
        "shegong-periodic.timer",
        "shegong-web.service",
        "shegong-worker@.service",
    ]
    for name in names:
        text = (UNITS / name).read_text().replace("/srv/shegong", str(ROOT))
        (tmp_path / name.replace("@.", "@1.")).write_text(text)

    result = subprocess.run(
        [shutil.which("systemd-analyze"), "verify", *sorted(tmp_path.iterdir())],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""
