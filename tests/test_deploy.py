"""The deployment files: systemd units that `systemd-analyze verify` accepts (where it is installed), and a
Dockerfile that copies every package the wheel is built from and keeps the bot's operating contract."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UNITS = ["accbot.service", "accbot-health.service", "accbot-health.timer"]


def _verify(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["systemd-analyze", "verify", "--man=no", *(f"./{u}" for u in UNITS)], cwd=folder,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_units_verify_cleanly(tmp_path: Path) -> None:
    """The units point at /opt/accbot/.venv/bin/accbot; here that is this checkout's interpreter's accbot."""
    accbot = Path(sys.executable).parent / "accbot"
    assert accbot.exists()
    for unit in UNITS:
        text = (ROOT / "deploy" / unit).read_text(encoding="utf-8")
        (tmp_path / unit).write_text(text.replace("/opt/accbot/.venv/bin/accbot", str(accbot)), encoding="utf-8")
    proc = _verify(tmp_path)
    assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr

    broken = (tmp_path / "accbot.service").read_text().replace("Restart=on-failure", "Restart=sometimes")
    (tmp_path / "accbot.service").write_text(broken)
    proc = _verify(tmp_path)
    assert "sometimes" in proc.stderr, "the check can fail: a wrong setting is reported"


def test_service_runs_as_its_own_user_restarts_on_failure_and_reads_the_environment_file() -> None:
    unit = (ROOT / "deploy" / "accbot.service").read_text(encoding="utf-8")
    for line in ["User=accbot", "Restart=on-failure", "RestartPreventExitStatus=2",
                 "EnvironmentFile=/etc/accbot/accbot.env", "StateDirectory=accbot",
                 "ExecStart=/opt/accbot/.venv/bin/accbot run"]:
        assert re.search(rf"^{re.escape(line)}$", unit, re.M), line


def test_dockerfile_copies_every_packaged_folder() -> None:
    """A new top-level package added to pyproject but not to the Dockerfile would make an image without it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = project["tool"]["setuptools"]
    renamed = setuptools.get("package-dir", {})  # accbot_locale is installed from locale/
    folders = {renamed.get(top, top) for top in (p.split(".")[0] for p in setuptools["packages"])}
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    copied = set(re.findall(r"^COPY (\S+) \./\1$", dockerfile, re.M))
    assert folders <= copied, f"not copied into the image: {sorted(folders - copied)}"
    assert re.search(r"^USER accbot$", dockerfile, re.M)
    assert re.search(r'^HEALTHCHECK .*CMD \["accbot", "health"\]$', dockerfile, re.M)
    assert re.search(r'^VOLUME \["/data"\]$', dockerfile, re.M)


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose is not installed")
def test_compose_file_parses(tmp_path: Path) -> None:
    shutil.copy(ROOT / "compose.yaml", tmp_path / "compose.yaml")
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=1:x\n")
    proc = subprocess.run(["docker-compose", "-f", "compose.yaml", "config"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "DATABASE_PATH: /data/accbot.sqlite3" in proc.stdout and "accbot-data:/data" in proc.stdout
