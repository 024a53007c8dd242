# Production image: one image for web (gunicorn), the Celery worker and beat, and migrations.
#
#   docker compose build && docker compose up -d      (see docker-compose.yml)
#
# Every process connects with DATABASE_URL, the runtime role. Only `manage.py migrate` is also given
# MIGRATE_DATABASE_URL, the schema owner's: it migrates as the owner, then grants the runtime role.

# --- front-end assets: GOV.UK Frontend compiled with Arial --------------------------------------
FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/scss static/scss
RUN mkdir -p static/build static/govuk \
 && node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
      static/scss/app.scss static/build/app.css \
 && cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js \
       node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js.map static/build/ \
 && cp -R node_modules/govuk-frontend/dist/govuk/assets static/govuk/assets \
 && rm -rf static/govuk/assets/fonts

# --- the application ---------------------------------------------------------------------------
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

RUN useradd --create-home --uid 1000 app
WORKDIR /app

# Every package from the production lock, each checked against its hashes (`make lock` writes it),
# then the project itself with the locked build backend.
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock
COPY . .
COPY --from=assets /app/static/build static/build
COPY --from=assets /app/static/govuk static/govuk
RUN pip install --no-deps --no-build-isolation .

# collectstatic (into STATIC_ROOT, var/staticfiles) touches neither the database nor Redis, but
# the production settings insist on every variable: throwaway values for this one build step.
RUN DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 \
    DJANGO_SECRET_KEY=collectstatic-only-not-a-secret \
    DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

# Volumes in docker-compose.yml: var/private (residents' attachments), var/beat (beat schedule).
# Made here so that new volumes start out owned by the app user.
RUN mkdir -p var/private var/beat && chown app:app var var/private var/beat
USER app

EXPOSE 8000
# config/gunicorn.py: port 8000, 3 workers (WEB_CONCURRENCY), access log on stdout without query strings.
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
