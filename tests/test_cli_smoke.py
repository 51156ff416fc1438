from pathlib import Path

from tests.conftest import Cli


def test_unknown_path_is_one_line_error(cli: Cli, db: Path) -> None:
    result = cli("ingest", "--db", db, "does-not-exist.jsonl")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == "ftaudit: error: does-not-exist.jsonl: no such file or directory"
    assert "Traceback" not in result.stderr
