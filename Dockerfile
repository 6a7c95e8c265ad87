# One image for every process of dealflow: the API (the default command) or the worker.
#   docker build -t dealflow .
#   docker run dealflow                                  # the API on port 8000
#   docker run dealflow python worker.py                 # a worker
#   docker run dealflow alembic upgrade head             # the migration, once per release
# Configure with DEALFLOW_* environment variables (README, "Production").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DEALFLOW_API_HOST=0.0.0.0 DEALFLOW_WORKER_METRICS_HOST=0.0.0.0 \
    DEALFLOW_TEMPORAL_DEV_SERVER=false DEALFLOW_LOG_JSON=true
WORKDIR /app
RUN useradd --create-home --uid 10001 dealflow

COPY pyproject.toml README.md alembic.ini worker.py ./
COPY core core
COPY models models
COPY services services
COPY activities activities
COPY workflows workflows
COPY api api
COPY cli cli
COPY demo demo
COPY migrations migrations
RUN pip install --no-cache-dir . && python -m compileall -q core models services activities workflows api

USER dealflow
EXPOSE 8000 9464
CMD ["sh", "-c", "exec uvicorn api.app:create_app --factory --host \"$DEALFLOW_API_HOST\" --port \"${DEALFLOW_API_PORT:-8000}\" --proxy-headers"]
