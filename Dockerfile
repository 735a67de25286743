# syntax=docker/dockerfile:1
# encv image: one image for every surface, migrations, duties and the Dagster
# code server; the role is the container's command (deploy/docker-entrypoint.sh).
# Build: docker build -t encv:0.1.0 .

# --- builder: compile every wheel (build tools stay in this stage) ---------
FROM python:3.11.14-slim-bookworm AS builder
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY api ./api
COPY db ./db
COPY encv ./encv
COPY models ./models
COPY orchestration ./orchestration
COPY ui ./ui
# The k8s extra brings dagster-k8s: run pods launched by the K8sRunLauncher
# load the instance (and so the launcher class) from this image.
RUN pip wheel --wheel-dir /wheels ".[k8s]"

# --- runtime: wheels only, no compiler, non-root -----------------------------
FROM python:3.11.14-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ENCV_DATA_DIR=/tmp/encv \
    DAGSTER_HOME=/opt/dagster/dagster_home \
    PORT=8080
RUN groupadd --system --gid 10001 encv \
 && useradd --system --uid 10001 --gid encv --home-dir /app --shell /usr/sbin/nologin encv
COPY --from=builder /wheels /wheels
RUN pip install --no-index --find-links=/wheels "encv[k8s]" \
 && rm -rf /wheels
WORKDIR /app
COPY workspace.yaml /app/workspace.yaml
COPY deploy/dagster/dagster.yaml /opt/dagster/dagster_home/dagster.yaml
COPY --chmod=0755 deploy/docker-entrypoint.sh /app/docker-entrypoint.sh
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/app/docker-entrypoint.sh", "healthcheck"]
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["help"]
