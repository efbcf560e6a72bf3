# One image for every app service in docker-compose.yml: web (this CMD), Celery worker and beat.
FROM python:3.11-slim

# psycopg2-binary and shapely ship self-contained wheels; nothing else is needed for them.
# WeasyPrint (workshop report PDFs) needs Pango and a font with Welsh letters (ŵ, ŷ).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production
# Code runs from /app, beside templates/, static/ and locale/ (BASE_DIR is derived from it),
# so celery and gunicorn must import it from here rather than from site-packages.
ENV PYTHONPATH=/app

RUN useradd --system --user-group --uid 10001 --home-dir /app --no-create-home cymuned
WORKDIR /app

# Dependencies in their own layer: with only pyproject.toml present the project itself is an
# empty package, so this layer is rebuilt when the pins change, not on every source edit.
COPY pyproject.toml /tmp/deps/
RUN pip install --no-cache-dir /tmp/deps && rm -rf /tmp/deps

COPY . .

# Production settings refuse to load without a secret key, a salt and allowed hosts. These throwaway
# values exist for this RUN only; the real ones come from the environment at run time.
# Code and static files stay root-owned (the app cannot rewrite them); only media is writable.
RUN DJANGO_SECRET_KEY=build-only-collectstatic-key-not-used-at-run-time-0123456789 \
    PERSONAL_DATA_SALT_KEYS=build-only-collectstatic-salt-not-used-at-run-time \
    DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && install -d -o cymuned -g cymuned /app/media

USER cymuned
EXPOSE 8000

# No curl in the slim image; urlopen raises (exit 1) on a 503 from /healthz.
# 127.0.0.1 must be in DJANGO_ALLOWED_HOSTS for this request to be accepted.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# gunicorn.conf.py: 0.0.0.0:8000, threaded workers, the app preloaded, logs to stdout and
# stderr, no control socket. WEB_CONCURRENCY and GUNICORN_THREADS (in .env) tune it per host.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "config.wsgi:application"]
