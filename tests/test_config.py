"""Production refuses to start on settings anyone could guess; DEBRIEF_ENV must be known."""

import pytest

from webapp import create_app

SAFE_PRODUCTION = {
    "DEBRIEF_ENV": "production",
    "SECRET_KEY": "s" * 40,
    "BASE_URL": "https://debrief.example",
    "S3_ACCESS_KEY_ID": "school-storage-key",
    "S3_SECRET_ACCESS_KEY": "a-secret-only-the-school-knows",
    "DATABASE_URL": "sqlite://",
}


def test_safe_production_settings_start():
    assert create_app(SAFE_PRODUCTION).config["DEBRIEF_ENV"] == "production"


@pytest.mark.parametrize("setting,value", [
    ("SECRET_KEY", ""),
    ("S3_ACCESS_KEY_ID", ""),
    ("S3_ACCESS_KEY_ID", "debrief"),
    ("S3_SECRET_ACCESS_KEY", ""),
    ("S3_SECRET_ACCESS_KEY", "debrief-local-secret"),
    ("DEBRIEF_ENV", "prod"),
    ("DEBRIEF_ENV", "Production"),
])  # fmt: skip
def test_production_refuses_unsafe_settings(setting, value):
    with pytest.raises(ValueError, match=setting):
        create_app({**SAFE_PRODUCTION, setting: value})


def test_development_generates_storage_keys_once(tmp_path, monkeypatch):
    from webapp import config

    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    first = config.load_settings({"DEBRIEF_ENV": "development"})
    again = config.load_settings({"DEBRIEF_ENV": "development"})
    keys = (first["S3_ACCESS_KEY_ID"], first["S3_SECRET_ACCESS_KEY"])
    assert keys == (again["S3_ACCESS_KEY_ID"], again["S3_SECRET_ACCESS_KEY"])
    assert not set(keys) & config.SHIPPED_S3_KEYS and len(keys[1]) >= 32
    assert (tmp_path / "s3_keys").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("value", ["nan", "inf", "0", "-1", "lots"])
def test_the_cpu_budget_setting_must_be_a_positive_number(value):
    with pytest.raises(ValueError, match="VIDEO_CPU_SECONDS_PER_SECOND"):
        create_app({**SAFE_PRODUCTION, "VIDEO_CPU_SECONDS_PER_SECOND": value})
