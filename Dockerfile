FROM python:3.11-slim
WORKDIR /app
RUN pip install --no-cache-dir uv==0.13.8
COPY pyproject.toml uv.lock README.md ./
COPY citegraph ./citegraph
COPY ingest ./ingest
COPY api ./api
COPY data ./data
RUN uv sync --locked --no-dev && ln -s /app/.venv/bin/citegraph /usr/local/bin/citegraph
ENV CITEGRAPH_STORE=/app/var/graph.json
EXPOSE 8000
CMD ["citegraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
