# accbot in a container: slim Python, a non-root user, the SQLite database on a volume.
#   docker compose up -d --build        (or: podman build -t accbot . && podman run …)
# The image runs `accbot run`; settings come from the environment (compose.yaml passes .env).

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY knowledge ./knowledge
COPY locale ./locale
RUN python -m venv /opt/accbot && /opt/accbot/bin/pip install .

FROM python:3.11-slim-bookworm
RUN useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin accbot \
    && install -d -o accbot -g accbot -m 0750 /data
COPY --from=build /opt/accbot /opt/accbot
ENV PATH=/opt/accbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DATABASE_PATH=/data/accbot.sqlite3 \
    WEBHOOK_LISTEN=0.0.0.0:8443
USER accbot
WORKDIR /data
VOLUME ["/data"]
# Webhook mode only (TELEGRAM_WEBHOOK_URL set); polling needs no open port.
EXPOSE 8443
# Fresh heartbeat from the reminder dispatcher (under three DISPATCH_INTERVAL_SECONDS) and a readable database.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["accbot", "health"]
# SIGTERM: in-flight answers and broadcast messages finish (about 10 s), then the database closes.
STOPSIGNAL SIGTERM
CMD ["accbot", "run"]
