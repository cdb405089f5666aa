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


@pytest.mark.parametrize("body, said", [
    ("[text]\nprose_min_words = -5\n", "[text] prose_min_words = -5 in {f} should not be negative"),
    ("[fetch]\nper_host_delay = -1.0\n", "[fetch] per_host_delay = -1.0 in {f} should not be negative"),
    ("[dedup]\nnum_perm = 0\n", "[dedup] in {f}: num_perm, shingle, bands and rows must be 1 or more"),
    ("[dedup]\nbands = 50\n", "[dedup] in {f}: bands x rows (50 x 3) must not exceed num_perm (128)"),
    ("[dedup]\nthreshold = 1.5\n", "[dedup] in {f}: threshold is a share: above 0, at most 1"),
])
def test_values_out_of_range_are_refused_before_any_work(tmp_path, body, said):
    f = tmp_path / "bad.toml"
    f.write_text(body)
    with pytest.raises(ConfigError) as info:
        load_config(f)
    assert str(info.value).startswith(said.format(f=f))


def test_a_run_with_settings_out_of_range_is_one_line(tmp_path):
    (tmp_path / "n.toml").write_text("[dedup]\nnum_perm = 0\n")
    out = newsclean("run", str(tmp_path), "--db", str(tmp_path / "c.duckdb"), "--config", str(tmp_path / "n.toml"))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines()[-1].startswith(f"newsclean: [dedup] in {tmp_path / 'n.toml'}: num_perm")
    assert not (tmp_path / "c.duckdb").exists()  # refused before the store, Prefect or any worker
