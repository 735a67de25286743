"""Render the Kustomize base the way `kubectl apply -k` would, for tests.

The base uses only ``resources`` and ``namespace``; anything else (patches,
generators, overlays) is refused here so a change to the base cannot slip
past the validation without this renderer learning it first.
"""

from __future__ import annotations

from pathlib import Path

import yaml

SUPPORTED = {"apiVersion", "kind", "namespace", "resources"}
# Kinds that live outside namespaces (kustomize leaves their metadata alone).
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding"}


def render(directory: Path) -> list[dict]:
    """Return every object of the kustomization in ``directory``."""
    spec = yaml.safe_load((directory / "kustomization.yaml").read_text())
    unknown = set(spec) - SUPPORTED
    if unknown:
        raise ValueError(f"kustomization uses {sorted(unknown)}: teach the renderer")
    objects = []
    for entry in spec.get("resources", []):
        path = directory / entry
        if path.is_dir():
            objects += render(path)
        else:
            objects += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    # The including kustomization's namespace wins over a nested one's.
    if spec.get("namespace"):
        for obj in objects:
            if obj["kind"] not in CLUSTER_SCOPED:
                obj.setdefault("metadata", {})["namespace"] = spec["namespace"]
    return objects


def matches(selector: dict, labels: dict) -> bool:
    """Say whether a label selector (matchLabels/matchExpressions) selects ``labels``."""
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values", [])
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True
