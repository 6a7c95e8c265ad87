"""GET /metrics: the API's Prometheus metrics, open like the probes (keep it off the public
load balancer)."""

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

router = APIRouter(tags=["ops"])


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    try:
        client = await request.app.state.temporal.client()
    except Exception:
        client = None
    if client is not None:
        await request.app.state.metrics.refresh(client)
    return Response(
        generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST
    )
