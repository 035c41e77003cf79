# Production image: gunicorn serves the portal, WhiteNoise serves /static/.
# Used by docker-compose.yml for both the `web` and the `worker` services.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's system libraries and the fonts the PDFs use.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-liberation fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 --user-group app

WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# Static files are collected at build time; the values below exist only to
# let the production settings load and never reach the running container.
RUN DJANGO_SETTINGS_MODULE=config.settings.production \
    SECRET_KEY=build-only-dummy-key-not-used-at-runtime-0123456789abcdefghij \
    ALLOWED_HOSTS=localhost \
    DEBUG=0 \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && chown -R app:app /app/media

ENV DJANGO_SETTINGS_MODULE=config.settings.production \
    MEDIA_ROOT=/app/media

USER app

EXPOSE 8000

CMD ["gunicorn", "--config", "config/gunicorn.py", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
