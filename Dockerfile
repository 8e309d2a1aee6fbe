FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

COPY . .
RUN pip install .
# collectstatic reads the settings, which want a key in production: a throwaway one here.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && useradd --system --home /app tracker \
    && chown -R tracker /app
USER tracker

EXPOSE 8000
ENTRYPOINT ["/app/docker-entrypoint.sh"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=2)"
CMD ["gunicorn", "-c", "python:tracker.gunicorn", "tracker.wsgi"]
