"""compose.yaml and deploy/kubernetes/ describe the same topology as docs/deploy.md and `make cluster-test`:
the same processes with the same commands, two web instances, two workers, one beat, the production profile,
and no secret written in either. Each file is checked by its own tool where installed here."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
KUBE = ROOT / "deploy" / "kubernetes"
SECRETS = ("SECRET_KEY", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "DATABASE_URL", "EMAIL_HOST_PASSWORD")


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def kube_objects() -> dict:
    objects = {}
    for name in yaml.safe_load((KUBE / "kustomization.yaml").read_text())["resources"]:
        for document in yaml.safe_load_all((KUBE / name).read_text()):
            objects[(document["kind"], document["metadata"]["name"])] = document
    return objects


def container(objects, kind, name) -> dict:
    spec = objects[(kind, name)]["spec"]
    template = spec["jobTemplate"]["spec"]["template"] if kind == "CronJob" else spec["template"]
    return template["spec"]["containers"][0]


def test_both_describe_two_web_instances_two_workers_and_one_beat_with_the_same_commands():
    services = compose()["services"]
    objects = kube_objects()
    web = [name for name in services if name.startswith("web-")]
    assert len(web) == 2
    assert services["worker"]["deploy"]["replicas"] == 2
    assert "replicas" not in services["beat"].get("deploy", {})
    assert objects[("Deployment", "rebond-web")]["spec"]["replicas"] == 2
    assert objects[("Deployment", "rebond-worker")]["spec"]["replicas"] == 2
    assert objects[("Deployment", "rebond-beat")]["spec"]["replicas"] == 1
    assert objects[("Deployment", "rebond-beat")]["spec"]["strategy"]["type"] == "Recreate"
    for compose_name, kube_name in (
        ("web-a", "rebond-web"),
        ("worker", "rebond-worker"),
        ("beat", "rebond-beat"),
    ):
        assert services[compose_name]["command"] == container(objects, "Deployment", kube_name)["command"]
    assert container(objects, "Job", "rebond-migrate")["command"][-2:] == ["migrate", "--noinput"]
    probe = container(objects, "Deployment", "rebond-web")["readinessProbe"]["httpGet"]
    assert probe["path"] == "/healthz" and probe["httpHeaders"][0]["name"] == "Host"


def test_both_run_the_production_profile_on_shared_storage_and_hold_no_secret():
    environment = compose()["x-rebond"]["environment"]
    config = kube_objects()[("ConfigMap", "rebond-config")]["data"]
    for values in (environment, config):
        assert values["DJANGO_SETTINGS_MODULE"] == "reuse.settings.production"
        assert values["STORAGE_BACKEND"] == "filesystem"
        assert values["MEDIA_ROOT"] != values["PRIVATE_MEDIA_ROOT"]
    for name in SECRETS:
        assert name not in config
        assert str(environment.get(name, "${")).count("${") >= 1, name  # from the host's environment only
    example = dict(
        line.split("=", 1)
        for line in (KUBE / "secret.example.env").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert all(example[name] == "" for name in ("SECRET_KEY", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"))
    volumes = {v.split(":")[1] for v in compose()["x-rebond"]["volumes"]}
    assert volumes == {environment["MEDIA_ROOT"], environment["PRIVATE_MEDIA_ROOT"]}


@pytest.mark.skipif(not shutil.which("kubectl"), reason="kubectl is not installed")
def test_the_kustomization_renders():
    result = subprocess.run(["kubectl", "kustomize", str(KUBE)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\nkind: ") + result.stdout.startswith("kind: ") >= len(kube_objects())


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose is not installed")
def test_compose_validates_against_the_compose_schema(tmp_path):
    env = tmp_path / "compose.env"
    env.write_text(
        "SECRET_KEY=x\nALLOWED_HOSTS=rebond.example.org\nPOSTGRES_PASSWORD=x\nPUBLIC_BASE_URL=https://r.example\n"
        "STRIPE_SECRET_KEY=sk_x\nSTRIPE_PUBLISHABLE_KEY=pk_x\nSTRIPE_WEBHOOK_SECRET=whsec_x\nEMAIL_HOST=smtp\n"
        "HEALTHCHECK_HOST=rebond.example.org\n"
    )
    command = ["docker-compose", "--env-file", str(env), "-f", str(ROOT / "compose.yaml"), "config", "-q"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    # A missing secret stops it.
    missing = subprocess.run(command[:1] + command[3:], capture_output=True, text=True, timeout=60)
    assert (
        missing.returncode != 0 and "set SECRET_KEY" in missing.stderr + missing.stdout or missing.returncode
    )


def pins(lock: str) -> dict:
    found = {}
    for line in (ROOT / lock).read_text().splitlines():
        if line and not line[0].isspace() and not line.startswith("#") and "==" in line:
            name, version = line.split(" ")[0].split("==")
            found[name.lower()] = version
    return found


def test_production_installs_no_test_tool_and_both_locks_agree():
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    for tool in (
        "localstripe",
        "pytest",
        "pytest-django",
        "ruff",
        "playwright",
        "locust",
        "schemathesis",
        "hypothesis",
        "factory-boy",
        "time-machine",
    ):
        assert tool not in runtime, tool
        assert tool in dev, tool
    for package in (
        "django",
        "wagtail",
        "celery",
        "gunicorn",
        "psycopg",
        "stripe",
        "django-storages",
        "boto3",
    ):
        assert package in runtime, package
    assert {name: dev[name] for name in runtime} == runtime  # the same pins: tests run what production runs


# --- Request size at the edge ------------------------------------------------------------------------------------


def edge_body_limits() -> dict:
    """The largest body each shipped proxy lets through to gunicorn, in bytes (nginx's "m" is MiB)."""
    ingress = kube_objects()[("Ingress", "rebond-web")]["metadata"]["annotations"]
    nginx = re.findall(
        r"^\s*client_max_body_size\s+(\S+);", (ROOT / "deploy" / "nginx" / "rebond.conf").read_text(), re.M
    )
    assert len(nginx) == 1, nginx
    values = {"ingress": ingress["nginx.ingress.kubernetes.io/proxy-body-size"], "nginx": nginx[0]}
    for name, value in values.items():
        assert re.fullmatch(r"[1-9][0-9]*m", value), (name, value)  # never 0, nginx's "no limit"
    return {name: int(value[:-1]) * 1024 * 1024 for name, value in values.items()}


def test_every_shipped_proxy_refuses_bodies_larger_than_the_largest_upload_rebond_takes(settings):
    """Without a limit in front, anyone can stream gigabytes into gunicorn's temporary files (Wagtail's own forms
    read uploads whole). The limit lets the largest legitimate upload through with its form fields, no more."""
    from reuse import uploads

    largest = max(
        settings.API_UPLOAD_MAX_BYTES,
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        settings.WAGTAILDOCS_MAX_UPLOAD_SIZE,
        settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE,
        *(limit.max_bytes for limit in uploads.LIMITS),
    )
    for name, limit in edge_body_limits().items():
        assert largest < limit <= largest + 4 * 1024 * 1024, (name, limit, largest)
    assert ("Ingress", "rebond-web") in kube_objects()
    assert compose()["services"]["web-a"]["ports"] == ["127.0.0.1:8001:8000"]  # the upstreams of rebond.conf
    assert "127.0.0.1:8001" in (ROOT / "deploy" / "nginx" / "rebond.conf").read_text()


def test_wagtail_refuses_documents_and_images_over_their_limits(settings):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.documents.fields import WagtailDocumentField

    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE == 20 * 1024 * 1024
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 10 * 1024 * 1024
    field = WagtailDocumentField()
    too_big = SimpleUploadedFile("rapport.pdf", b"%PDF" + b"0" * settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)
    with pytest.raises(ValidationError):
        field.clean(too_big)
