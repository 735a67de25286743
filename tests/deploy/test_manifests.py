"""The Kubernetes base and the Dagster deployment files, validated.

Every rendered object is checked against the Kubernetes API schemas that
kubernetes-validate ships, then against our own rules: probes, limits,
hardening, selectors that select something, placeholders for secrets.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from tests.deploy.kustomize import matches, render

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "deploy" / "base"
DAGSTER = ROOT / "deploy" / "dagster"
SURFACES = ["server", "apiserver", "adminapi", "enx-redirect"]
# The oldest Kubernetes minor we document support for, and the newest schema.
K8S_VERSIONS = ["1.30.0", kubernetes_validate.latest_version()]

OBJECTS = render(BASE)
DAGSTER_OBJECTS = render(DAGSTER)


def _of(kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in OBJECTS if o["kind"] == kind}


def _pod_templates() -> list[dict]:
    """Pod templates of every workload in the base."""
    return [
        o["spec"]["template"] for o in OBJECTS if o["kind"] in ("Deployment", "Job")
    ]


@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize(
    "obj",
    OBJECTS + DAGSTER_OBJECTS,
    ids=[
        f"{o['metadata'].get('namespace', '-')}/{o['kind']}/{o['metadata']['name']}"
        for o in OBJECTS + DAGSTER_OBJECTS
    ],
)
def test_every_object_validates_against_the_kubernetes_schema(obj, version):
    kubernetes_validate.validate(obj, version, strict=True)


def test_the_schema_check_rejects_a_broken_object():
    broken = {**_of("Deployment")["apiserver"]}
    broken["spec"] = {**broken["spec"], "replicas": "three"}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSIONS[0], strict=True)


def test_every_surface_has_deployment_service_autoscaler_and_budget():
    for kind in (
        "Deployment",
        "Service",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
    ):
        assert sorted(_of(kind)) == sorted(SURFACES), kind
    for name, hpa in _of("HorizontalPodAutoscaler").items():
        target = hpa["spec"]["scaleTargetRef"]
        assert (target["kind"], target["name"]) == ("Deployment", name)
        assert 2 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]


@pytest.mark.parametrize("name", SURFACES)
def test_deployments_probe_health_limit_resources_and_run_hardened(name):
    deployment = _of("Deployment")[name]
    pod = deployment["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["args"] == ["serve", name]
    # Readiness follows the database; liveness only the process, so an
    # outage takes pods out of the Service without restarting them.
    for probe, path in (
        ("startupProbe", "/health/ready"),
        ("readinessProbe", "/health/ready"),
        ("livenessProbe", "/health/live"),
    ):
        assert container[probe]["httpGet"]["path"] == path, probe
        assert container[probe]["httpGet"]["port"] == "http"
    assert {p["name"]: p["containerPort"] for p in container["ports"]} == {"http": 8080}
    for bound in ("requests", "limits"):
        assert set(container["resources"][bound]) == {"cpu", "memory"}, bound
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    assert pod["automountServiceAccountToken"] is False
    sc = container["securityContext"]
    assert sc["readOnlyRootFilesystem"] is True
    assert sc["allowPrivilegeEscalation"] is False
    assert sc["capabilities"]["drop"] == ["ALL"]
    # A read-only root needs a writable /tmp (gunicorn heartbeat, Mako cache).
    assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
    image = container["image"]
    assert ":" in image and not image.endswith(":latest")
    env_from = {
        ref.get("secretRef", ref.get("configMapRef"))["name"]
        for ref in container["envFrom"]
    }
    assert env_from <= set(_of("Secret")) | set(_of("ConfigMap"))


def test_services_budgets_and_deployments_select_their_own_pods():
    deployments = _of("Deployment")
    for kind in ("Service", "PodDisruptionBudget"):
        for name, obj in _of(kind).items():
            selector = obj["spec"]["selector"]
            selector = selector if kind != "Service" else {"matchLabels": selector}
            selected = [
                d
                for d, dep in deployments.items()
                if matches(selector, dep["spec"]["template"]["metadata"]["labels"])
            ]
            assert selected == [name], (kind, name, selected)
    for dep in deployments.values():
        assert matches(
            dep["spec"]["selector"], dep["spec"]["template"]["metadata"]["labels"]
        )


def test_only_encv_workloads_may_reach_postgresql_and_redis():
    policies = _of("NetworkPolicy")
    assert policies["default-deny-ingress"]["spec"] == {
        "podSelector": {},
        "policyTypes": ["Ingress"],
    }
    allowed = {"encv.io/db-access": "true"}
    for name, port in (("postgresql-from-encv", 5432), ("redis-from-encv", 6379)):
        [rule] = policies[name]["spec"]["ingress"]
        assert rule["ports"] == [{"port": port, "protocol": "TCP"}]
        local = [peer for peer in rule["from"] if "namespaceSelector" not in peer]
        assert local == [{"podSelector": {"matchLabels": allowed}}]
        # Every surface and the migration Job carry the label, nothing else does.
        labelled = sorted(
            t["metadata"]["labels"]["app.kubernetes.io/component"]
            for t in _pod_templates()
            if matches(local[0]["podSelector"], t["metadata"]["labels"])
        )
        assert labelled == sorted([*SURFACES, "migrate"])
        assert not matches(local[0]["podSelector"], {"app.kubernetes.io/name": "encv"})
    surfaces = policies["surfaces-http"]["spec"]["podSelector"]
    opened = [
        t["metadata"]["labels"]["app.kubernetes.io/component"]
        for t in _pod_templates()
        if matches(surfaces, t["metadata"]["labels"])
    ]
    assert sorted(opened) == sorted(SURFACES)


def test_secrets_hold_placeholders_only():
    [secret] = _of("Secret").values()
    assert set(secret["stringData"]) == {"ENCV_KEK", "DATABASE_URL", "REDIS_URL"}
    for obj in OBJECTS + DAGSTER_OBJECTS:
        if obj["kind"] == "Secret":
            assert all("REPLACE" in v for v in obj["stringData"].values()), obj
            assert "data" not in obj


def test_dagster_namespace_gets_what_the_chart_values_name():
    values = yaml.safe_load((DAGSTER / "values.yaml").read_text())
    present = {
        (o["kind"], o["metadata"]["name"])
        for o in DAGSTER_OBJECTS
        if o["metadata"].get("namespace") == "dagster"
    }
    [code] = values["dagster-user-deployments"]["deployments"]
    launcher = values["runLauncher"]["config"]["k8sRunLauncher"]
    for ref in code["envConfigMaps"] + launcher["envConfigMaps"]:
        assert ("ConfigMap", ref["name"]) in present
    for ref in code["envSecrets"] + launcher["envSecrets"]:
        assert ("Secret", ref["name"]) in present
    assert ("Secret", values["global"]["postgresqlSecretName"]) in present


def test_migration_job_runs_encv_migrate_hardened():
    job = _of("Job")["encv-migrate"]
    pod = job["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["args"] == ["migrate"]
    assert pod["restartPolicy"] == "Never" and pod["securityContext"]["runAsNonRoot"]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["resources"]["limits"]


def test_the_renderer_refuses_what_it_does_not_understand(tmp_path):
    (tmp_path / "kustomization.yaml").write_text("resources: []\npatches: []\n")
    with pytest.raises(ValueError, match="patches"):
        render(tmp_path)


# --- Dagster ------------------------------------------------------------------


def _lock_names() -> set[str]:
    from models.duties import locks

    gates = {v.name for v in vars(locks).values() if isinstance(v, locks.Gate)}
    return gates | {locks.CLEANUP}


def _limits(entries: list[dict]) -> dict[str, int]:
    return {e["value"]: e["limit"] for e in entries if e["key"] == "encv/lock"}


def test_dagster_values_use_our_image_the_k8s_launcher_and_one_run_per_duty():
    values = yaml.safe_load((DAGSTER / "values.yaml").read_text())
    [code] = values["dagster-user-deployments"]["deployments"]
    base_image = _of("Deployment")["apiserver"]["spec"]["template"]["spec"][
        "containers"
    ][0]["image"]
    assert f"{code['image']['repository']}:{code['image']['tag']}" == base_image
    assert code["codeServerArgs"] == ["-m", "orchestration.definitions"]
    assert code["labels"] == {"encv.io/db-access": "true"}
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    run_pods = values["runLauncher"]["config"]["k8sRunLauncher"]["runK8sConfig"]
    assert run_pods["podTemplateSpecMetadata"]["labels"] == {
        "encv.io/db-access": "true"
    }
    coordinator = values["dagsterDaemon"]["runCoordinator"]
    assert coordinator["enabled"] and coordinator["type"] == "QueuedRunCoordinator"
    limits = coordinator["config"]["queuedRunCoordinator"]["tagConcurrencyLimits"]
    assert _limits(limits) == dict.fromkeys(_lock_names(), 1)
    assert values["postgresql"]["enabled"] is False
    assert values["postgresql"]["postgresqlScheme"] == "postgresql+psycopg2"


def test_dagster_instance_file_matches_the_values_and_validates(monkeypatch):
    from dagster._config import process_config, resolve_to_config_type
    from dagster._core.instance.config import dagster_instance_config

    for name, value in {
        "DAGSTER_HOME": "/opt/dagster/dagster_home",
        "DAGSTER_PG_URL": "postgresql+psycopg2://dagster@db/encv_dagster",
        "DAGSTER_K8S_JOB_NAMESPACE": "dagster",
        "DAGSTER_K8S_INSTANCE_CONFIG_MAP": "dagster-instance",
    }.items():
        monkeypatch.setenv(name, value)
    config, _ = dagster_instance_config(str(DAGSTER), "dagster.yaml")
    for section, klass in (
        ("run_launcher", "K8sRunLauncher"),
        ("run_coordinator", "QueuedRunCoordinator"),
    ):
        entry = config[section]
        assert entry["class"] == klass
        cls = getattr(importlib.import_module(entry["module"]), entry["class"])
        result = process_config(
            resolve_to_config_type(cls.config_type()), entry["config"]
        )
        assert result.success, [e.message for e in result.errors]
    values = yaml.safe_load((DAGSTER / "values.yaml").read_text())
    in_values = values["dagsterDaemon"]["runCoordinator"]["config"][
        "queuedRunCoordinator"
    ]
    in_file = config["run_coordinator"]["config"]
    assert in_file["tag_concurrency_limits"] == in_values["tagConcurrencyLimits"]
    assert in_file["max_concurrent_runs"] == in_values["maxConcurrentRuns"]
    assert config["telemetry"] == {"enabled": False}


def test_every_job_lock_tag_has_a_concurrency_limit():
    from orchestration.definitions import defs

    values = yaml.safe_load((DAGSTER / "values.yaml").read_text())
    limits = _limits(
        values["dagsterDaemon"]["runCoordinator"]["config"]["queuedRunCoordinator"][
            "tagConcurrencyLimits"
        ]
    )
    tagged = {
        job.name: job.tags["encv/lock"]
        for job in defs.resolve_all_job_defs()
        if "encv/lock" in (job.tags or {})
    }
    assert tagged, "no job carries an encv/lock tag"
    for job, lock in tagged.items():
        assert limits.get(lock) == 1, job
