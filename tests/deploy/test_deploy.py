"""The production recipe in deploy/: the pieces fit together. (nginx itself runs the configs in
test_nginx.py; docker and systemd cannot run here, so their files are checked as data.)"""

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.support.site import ROOT

DEPLOY = ROOT / "deploy"
VARIABLE = re.compile(r"\$\{(INSIGHTS_[A-Z_]+)\}")


def variables(text: str) -> set[str]:
    return set(VARIABLE.findall(text))


def unit(name: str) -> dict[str, list[str]]:
    """A systemd unit's keys, each with every value it is given (a key may repeat)."""
    found: dict[str, list[str]] = {}
    for line in (DEPLOY / "systemd" / name).read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def environment(service: dict[str, list[str]]) -> dict[str, str]:
    """The unit's environment: its ``EnvironmentFile`` (the shipped one, where the README installs
    it), then its own ``Environment=`` lines."""
    lines = []
    for path in service.get("EnvironmentFile", []):
        assert path == "/etc/insights/insights.env", path
        lines += [
            line
            for line in (DEPLOY / "insights.env").read_text().splitlines()
            if line and not line.startswith("#")
        ]
    return dict(value.split("=", 1) for value in [*lines, *service.get("Environment", [])])


@pytest.mark.parametrize("name", ["nginx.conf", "nginx-main.conf", "nginx-export.conf"])
def test_each_config_says_every_value_envsubst_must_fill(name):
    text = (DEPLOY / name).read_text()
    comment = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    listed = re.search(r"envsubst '([^']+)'", comment).group(1)
    assert variables(listed) == variables(body)


def test_compose_runs_nginx_in_front_of_the_app_on_a_shared_socket():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    app, front = compose["services"]["app"], compose["services"]["nginx"]
    assert set(compose["volumes"]) == {"socket", "static"}

    # Only nginx is published; the app listens on a Unix socket in a volume both mount.
    assert "ports" not in app and front["ports"] == ["${INSIGHTS_PORT:-80}:8080"]
    image_env = dict(re.findall(r"(INSIGHTS_[A-Z_]+)=(\S+)", (DEPLOY / "Dockerfile").read_text()))
    socket_path = image_env["INSIGHTS_BIND"].removeprefix("unix:")
    assert front["environment"]["INSIGHTS_UPSTREAM"] == f"unix:{socket_path}"
    assert f"socket:{Path(socket_path).parent}" in app["volumes"]
    assert f"socket:{Path(socket_path).parent}" in front["volumes"]

    # nginx serves the static builds from the volume the app writes them to.
    builds = image_env["INSIGHTS_STATIC_CACHE_DIR"]
    assert front["environment"]["INSIGHTS_STATIC_CACHE_DIR"] == builds
    assert f"static:{builds}" in app["volumes"] and f"static:{builds}:ro" in front["volumes"]
    # The app's root is read-only: its image variants and cards go in that volume too.
    assert Path(image_env["INSIGHTS_IMAGE_CACHE_DIR"]).is_relative_to(builds)

    # Both configs are mounted from deploy/ and rendered with every value they use.
    command = front["command"][-1].replace("$$", "$")
    for mount in front["volumes"]:
        source, _, target = mount.partition(":")
        if source.startswith("./"):
            template = (DEPLOY / source).read_text()
            target = target.removesuffix(":ro")
            listed = re.search(rf"envsubst '([^']+)'\s*< {re.escape(target)}", command)
            assert listed and variables(listed.group(1)) == variables(template), source
            assert variables(template) <= set(front["environment"]), source
    assert front["depends_on"]["app"]["condition"] == "service_healthy"
    for service in (app, front):
        assert service["restart"] == "unless-stopped"
    assert app["read_only"] is True and app["cap_drop"] == ["ALL"]
    assert "no-new-privileges:true" in app["security_opt"]


def test_the_systemd_units_run_the_app_hardened_behind_nginx():
    app, front = unit("insights.service"), unit("insights-nginx.service")
    env = environment(app)
    assert app["User"] != ["root"] and app["Restart"] == ["always"]
    assert app["Type"] == ["notify"]  # gunicorn tells systemd when it is ready
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
    }.items():
        assert app[key] == [value] and front[key] == [value], key
    # The app may write its static builds, image variants and cards, and only there.
    assert env["INSIGHTS_STATIC_CACHE_DIR"] in app["ReadWritePaths"][0].split()
    assert Path(env["INSIGHTS_IMAGE_CACHE_DIR"]).is_relative_to(env["INSIGHTS_STATIC_CACHE_DIR"])
    assert env["INSIGHTS_STATIC_CACHE_DIR"] == "/var/cache/" + app["CacheDirectory"][0]
    # Its socket is in its runtime directory, the one nginx's site config is pointed at.
    assert env["INSIGHTS_BIND"] == f"unix:/run/{app['RuntimeDirectory'][0]}/gunicorn.sock"
    assert "gunicorn.conf.py" in app["ExecStart"][0]
    # nginx's pid file is where nginx-main.conf puts it for INSIGHTS_NGINX_RUN=/run/<dir>.
    pid = front["PIDFile"][0]
    assert pid == f"/run/{front['RuntimeDirectory'][0]}/nginx.pid"
    assert "${INSIGHTS_NGINX_RUN}/nginx.pid" in (DEPLOY / "nginx-main.conf").read_text()
    assert front["Restart"] == ["always"] and int(front["LimitNOFILE"][0]) >= 20000


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_accepts_the_units(tmp_path):
    for unit_file in (DEPLOY / "systemd").iterdir():
        shutil.copy(unit_file, tmp_path / unit_file.name)
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(map(str, tmp_path.iterdir()))],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    # The one thing it cannot find here is the app's virtualenv under /srv/insights.
    problems = [
        line
        for line in result.stderr.splitlines()
        if line.strip() and not re.search(r"/srv/insights/\.venv/bin/\w+ is not executable", line)
    ]
    assert problems == []


def test_the_daily_prune_runs_with_the_apps_settings_and_rights():
    app, prune = unit("insights.service"), unit("insights-prune.service")
    assert environment(prune) == {
        k: v for k, v in environment(app).items() if k != "INSIGHTS_BIND"
    }, "the prune must see the same content and folders as the app"
    # From one file, so that a setting changed for the app is changed for the prune too.
    assert prune["EnvironmentFile"] == app["EnvironmentFile"] and "Environment" not in prune
    assert set(environment(app)) - set(
        environment({"EnvironmentFile": app["EnvironmentFile"]})
    ) == {"INSIGHTS_BIND"}
    assert prune["User"] == app["User"] and prune["ReadWritePaths"] == app["ReadWritePaths"]
    assert prune["ExecStart"][0].endswith("flask --app app prune")
    assert unit("insights-prune.timer")["OnCalendar"] == ["daily"]


def test_the_image_copies_every_module_and_package_the_project_installs():
    """A package added to pyproject.toml but not copied would fail only at ``docker build``,
    which this machine cannot run."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    wanted = {f"{name}.py" for name in project["py-modules"]} | set(project["packages"])
    wanted |= {"templates", "static", "gunicorn.conf.py", "pyproject.toml"}
    copied = set()
    for sources in re.findall(r"^COPY (.+) \S+$", (DEPLOY / "Dockerfile").read_text(), re.M):
        copied |= set(sources.split())
    assert wanted <= copied, sorted(wanted - copied)
    assert all((ROOT / name).exists() for name in copied), "copies a path that is gone"
