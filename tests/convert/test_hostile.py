"""Untrusted sources: zip-slip, zip bombs, XXE, oversize and broken files are refused, nothing written."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from convert import sources
from workbench.cli import main
from workbench.convert import SourceLimits, read_source
from workbench.errors import SourceError

XXE = (
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;</w:t>'
    b"</w:r></w:p></w:body></w:document>"
)
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><manifest>&d;</manifest>'
)


def _rewrite(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, replace.get(item.filename, old.read(item.filename)))
    return target


def _hostile(kind: str, folder: Path, legacy: dict[str, Path]) -> Path:
    if kind == "zip-slip":
        return sources.build_scorm12(folder / "slip.zip", extra={"../../evil.html": b"<p>x</p>"})
    if kind == "absolute-path":
        return sources.build_scorm12(folder / "absolute.zip", extra={"/etc/cron.d/evil": b"x"})
    if kind == "zip-bomb":
        return sources.build_scorm12(folder / "bomb.zip", extra={"sco9/big.html": bytes(30 * 1024 * 1024)})
    if kind == "xxe-docx":
        return _rewrite(legacy["handbook"], folder / "xxe.docx", {"word/document.xml": XXE})
    if kind == "entity-expansion-manifest":
        return sources.build_scorm12(folder / "laughs.zip", manifest=LAUGHS)
    if kind == "oversize":
        big = folder / "huge.pptx"
        with big.open("wb") as handle:
            handle.truncate(101 * 1024 * 1024)  # sparse: no disk, but 101 MB to the size check
        return big
    raise AssertionError(kind)


HOSTILE = {
    "zip-slip": "zip-slip",
    "absolute-path": "an absolute path",
    "zip-bomb": "zip bomb",
    "xxe-docx": "declares XML entities",
    "entity-expansion-manifest": "declares XML entities",
    "oversize": "over the 100 MB limit",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_sources_are_refused_with_a_clear_message(tmp_path: Path, legacy: dict[str, Path], kind: str) -> None:
    path = _hostile(kind, tmp_path, legacy)
    with pytest.raises(SourceError, match=HOSTILE[kind]) as info:
        read_source(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_cli_refuses_with_exit_2_and_writes_nothing(
    tmp_path: Path, legacy: dict[str, Path], kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _hostile(kind, tmp_path, legacy)
    out = tmp_path / "out"
    out.mkdir()
    code = main(
        ["convert", str(path), str(legacy["deck"]), "-o", str(out / "draft.yaml"), "--report", str(out / "r.html")]
    )
    assert code == 2
    assert HOSTILE[kind] in capsys.readouterr().err
    assert list(out.iterdir()) == []  # no draft, no report, no temporary file


def test_limits_are_parameters(tmp_path: Path, legacy: dict[str, Path]) -> None:
    many = sources.build_scorm12(tmp_path / "many.zip", extra={f"x/{i}.txt": b"x" for i in range(20)})
    with pytest.raises(SourceError, match="25 entries, over the limit of 10"):
        read_source(many, SourceLimits(max_members=10))
    with pytest.raises(SourceError, match="over the 100 bytes limit"):
        read_source(legacy["scorm"], SourceLimits(max_total_bytes=100))
    assert read_source(legacy["scorm"], SourceLimits(max_members=10)).format == "scorm"


def test_declared_sizes_that_lie_are_caught(tmp_path: Path) -> None:
    # a member whose header claims a small size but which inflates to more
    from workbench.convert.safety import read_member

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.html", b"a" * 5000)
    path = tmp_path / "lie.zip"
    path.write_bytes(buffer.getvalue())
    with zipfile.ZipFile(path) as archive, pytest.raises(SourceError, match="expands past"):
        read_member(archive, "a.html", path, SourceLimits(max_member_bytes=1000))


def test_cli_subprocess_has_no_traceback(tmp_path: Path, legacy: dict[str, Path]) -> None:
    path = _hostile("zip-slip", tmp_path, legacy)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "convert", str(path), "-o", str(tmp_path / "d.yaml")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "zip-slip" in result.stderr
    assert not (tmp_path / "d.yaml").exists()


def test_cli_writes_draft_and_report(
    tmp_path: Path, legacy: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from workbench.spec import load

    draft, report = tmp_path / "draft.yaml", tmp_path / "report.html"
    assert main(["convert", str(legacy["deck"]), "-o", str(draft), "--report", str(report)]) == 0
    text = capsys.readouterr().out
    assert "draft assets for" in text
    assert "needs your decision" in text
    journey = load(draft)
    assert all(a.draft for a in journey.activities)
    assert "Every source segment" in report.read_text(encoding="utf-8")
    assert main(["convert", str(legacy["deck"]), "-o", str(draft)]) == 2  # exists: no overwrite without --force
    assert "exists" in capsys.readouterr().err
    assert main(["lint", str(draft)]) == 0  # warnings (drafts) but no errors
