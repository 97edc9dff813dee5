# Rebond's production image: the runtime lock only (requirements.lock, hashes checked), no test tool.
# One image for every process; the command chooses the role (see compose.yaml and deploy/kubernetes/).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=reuse.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock
COPY . .
RUN useradd --system --uid 10001 rebond && mkdir -p /srv/rebond/media /srv/rebond/private \
    && chown -R rebond /srv/rebond
USER rebond
EXPOSE 8000
CMD ["gunicorn", "reuse.wsgi", "--workers", "3", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--logger-class", "reuse.logs.AccessLog"]
