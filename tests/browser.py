"""Headless Chromium for browser tests (Debian's chromium driven by Playwright; never a downloaded browser)."""

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def require_chromium():
    """Skip the calling test when Chromium or Playwright is missing, except in CI where it must run."""
    missing = []
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        missing.append(f"{CHROMIUM} が見つかりません（apt-get install chromium fonts-noto-cjk）")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright がインストールされていません（pip install -r requirements.txt）")
    if missing:
        reason = "ブラウザテストを実行できません: " + "; ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(reason + "（CI では必須）")
        pytest.skip(reason)
