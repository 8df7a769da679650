"""Lighthouse (desktop) scores of every page type, served as production serves them.

Run by `make audit`: builds a throwaway SQLite site with the demo content, serves it with
gunicorn (DEBUG off, WhiteNoise) on 127.0.0.1, audits each page and prints the scores of
Performance, Accessibility, Best Practices and SEO. Exits 1 when a page misses the
targets (100 for the last three, 95 for Performance).
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = Path(__file__).parent / "node_modules" / ".bin" / "lighthouse"
PYTHON = PROJECT / ".venv" / "bin" / "python"
GUNICORN = PROJECT / ".venv" / "bin" / "gunicorn"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
PAGES = {
    "home": "/",
    "article": "/space/nasa-astronaut-mark-vande-hei-returns-to-earth-in-a-russian-soyuz/",
    "category": "/space/",
    "tag": "/tags/iss/",
    "author": "/authors/dana-whitfield/",
    "search": "/search/?q=astronaut",
}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=PROJECT, env=env, check=True)


def wait_until_serving(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"The site did not start serving at {url} within {seconds} s.")


def audit(url, output):
    """Lighthouse scores for `url`; retried, as it sometimes fails to start on a busy machine."""
    for _attempt in range(3):
        result = subprocess.run(
            [
                LIGHTHOUSE,
                url,
                "--preset=desktop",
                "--output=json",
                f"--output-path={output}",
                "--quiet",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={CHROME_FLAGS}",
            ],
            env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
            capture_output=True,
            text=True,
            timeout=180,
        )
        if result.returncode == 0:
            report = json.loads(Path(output).read_text())
            failed = {
                audit_id: entry["title"]
                for audit_id, entry in report["audits"].items()
                if entry.get("score") is not None
                and entry["score"] < 1
                and entry.get("scoreDisplayMode") == "binary"
            }
            scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
            return scores, failed
    raise SystemExit(f"Lighthouse failed on {url}:\n{result.stderr[-2000:]}")


def main():
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is missing: run `make tools`.")
    with tempfile.TemporaryDirectory() as workdir:
        media_port = free_port()
        env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "audit-only-secret-key",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_INSECURE_COOKIES": "1",
            "DATABASE_URL": f"sqlite:///{workdir}/audit.sqlite3",
            # Production serves photos from a web server or CDN of their own, not Django.
            "NEWSROOM_MEDIA_ROOT": f"{workdir}/media",
            "NEWSROOM_MEDIA_URL": f"http://127.0.0.1:{media_port}/",
        }
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--noinput", "-v0")
        port = free_port()
        server = subprocess.Popen(
            [GUNICORN, "newsroom.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        media_server = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(media_port), "--bind", "127.0.0.1"],
            cwd=f"{workdir}/media",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_serving(base + "/")
            results = {
                name: audit(base + path, f"{workdir}/{name}.json") for name, path in PAGES.items()
            }
        finally:
            for process in (server, media_server):
                process.terminate()
                process.wait(timeout=10)

    print(f"{'page':<10}" + "".join(f"{name:>16}" for name in CATEGORIES))
    # Failed pass/fail audits are listed below the table.
    misses = []
    for name, (scores, _failed) in results.items():
        print(f"{name:<10}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES))
        misses += [
            f"{name}: {category} {scores[category]} < {target}"
            for category, target in TARGETS.items()
            if scores[category] < target
        ]
    for name, (_scores, failed) in results.items():
        for title in failed.values():
            print(f"  {name}: {title}")
    if misses:
        print("\n".join(["", "Below target:", *misses]))
        sys.exit(1)


if __name__ == "__main__":
    main()
