"""deploy/github-pages.yml and deploy/gitlab-ci.yml, validated with check-jsonschema against
the GitHub-workflow and GitLab-CI schemas it carries (offline: no schema is downloaded), and
read for what docs/DEPLOY.md promises of them: the package installed, `check --strict`
(with --against the published site), problems in the forge's own format, a build, a
publication, a preview for pull or merge requests, and the external links on a schedule.
"""
import pathlib
import re
import subprocess
import sys

import pytest

from conftest import DEPLOY

CHECK_JSONSCHEMA = pathlib.Path(sys.executable).parent / "check-jsonschema"
WORKFLOWS = {
    "github-pages.yml": "vendor.github-workflows",
    "gitlab-ci.yml": "vendor.gitlab-ci",
}


def validate(path, schema):
    if not CHECK_JSONSCHEMA.exists():
        pytest.fail("check-jsonschema is missing from the venv: run scripts/deploy-deps.sh")
    return subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", schema, str(path)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_workflow_matches_the_forge_schema(name):
    result = validate(DEPLOY / name, WORKFLOWS[name])
    assert result.returncode == 0, "%s against %s:\n%s%s" % (name, WORKFLOWS[name], result.stdout, result.stderr)
    assert "ok -- validation done" in result.stdout, result.stdout


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_the_schema_check_catches_a_slip(name, tmp_path):
    """The validation is real: the same file with one misspelt key fails it."""
    text = (DEPLOY / name).read_text(encoding="utf-8")
    slip = "runs_on:" if name.startswith("github") else "scripts:"
    broken, n = re.subn(r"\bruns-on:" if name.startswith("github") else r"\bscript:", slip, text, count=1)
    assert n == 1
    (tmp_path / name).write_text(broken, encoding="utf-8")
    result = validate(tmp_path / name, WORKFLOWS[name])
    assert result.returncode != 0, "check-jsonschema accepted %s with %r" % (name, slip)


def commands(text):
    """The overens commands a workflow runs, one per line."""
    found = (re.search(r"\boverens (check|build)\b.*", line) for line in text.splitlines()
             if not line.lstrip().startswith("#"))
    return [m.group(0) for m in found if m]


def test_github_workflow_does_what_the_docs_say():
    text = (DEPLOY / "github-pages.yml").read_text(encoding="utf-8")
    run = commands(text)
    assert re.search(r"apt-get install -y -qq /tmp/overens\.deb", text), "installs the package"
    assert any("check --strict $AGAINST" in c and "--format github" in c for c in run), run
    assert "--against $RUNNER_TEMP/published" in text
    assert any("check --external" in c and "--format github" in c for c in run), run
    assert any(c.startswith("overens build") and "--output public" in c for c in run), run
    assert any("--drafts" in c and "--output preview" in c for c in run), run
    for action in ("actions/checkout@", "actions/upload-pages-artifact@", "actions/deploy-pages@", "actions/upload-artifact@"):
        assert "uses: " + action in text, action
    assert "pull_request:" in text and "schedule:" in text


def test_gitlab_pipeline_does_what_the_docs_say():
    text = (DEPLOY / "gitlab-ci.yml").read_text(encoding="utf-8")
    run = commands(text)
    assert "apt-get install -y -qq /tmp/overens.deb" in text, "installs the package"
    assert any("check --strict $AGAINST" in c and "--format gitlab > gl-code-quality-report.json" in c for c in run), run
    assert 'AGAINST="--against /tmp/published"' in text
    assert "codequality: gl-code-quality-report.json" in text
    assert any("check --external" in c and "--format gitlab" in c for c in run), run
    assert re.search(r"^pages:\n(.*\n)*?\s+script:\n\s+- overens build .*--output public", text, re.M)
    assert re.search(r"^\s+paths:\n\s+- public$", text, re.M)
    assert 'expose_as: "Preview"' in text and "--drafts" in text
