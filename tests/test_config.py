"""Settings files."""
import pytest

from newsclean.config import ConfigError, load_config
from tests.test_cli import newsclean


def test_defaults_without_a_file():
    clean, dedup, fetch = load_config(None)
    assert clean.text.isolated_weight == 0.3 and dedup.threshold == 0.6 and fetch.per_host_delay == 1.0


def test_tables_override_fields(tmp_path):
    f = tmp_path / "n.toml"
    f.write_text("[text]\nprose_min_words = 6\n[dedup]\nthreshold = 0.7\n[fetch]\nper_host_delay = 2.5\n[read]\nmax_document_bytes = 1000\n")
    clean, dedup, fetch = load_config(f)
    assert (clean.text.prose_min_words, dedup.threshold, fetch.per_host_delay, clean.read.max_document_bytes) == (6, 0.7, 2.5, 1000)


@pytest.mark.parametrize("body", ["[text]\nno_such_knob = 1\n", "[nosuch]\nx = 1\n", "not toml ["])
def test_bad_files_are_refused_clearly(tmp_path, body):
    f = tmp_path / "bad.toml"
    f.write_text(body)
    with pytest.raises(ConfigError):
        load_config(f)


def test_cli_uses_the_file(tmp_path):
    (tmp_path / "a.txt").write_text("x " * 3000)
    (tmp_path / "n.toml").write_text("[read]\nmax_document_bytes = 100\n")
    out = newsclean("clean", str(tmp_path / "a.txt"), "--config", str(tmp_path / "n.toml"))
    assert out.returncode == 1 and "too_large" in out.stderr
    bad = newsclean("clean", str(tmp_path / "a.txt"), "--config", str(tmp_path / "missing.toml"))
    assert bad.returncode == 2 and "cannot read settings" in bad.stderr
