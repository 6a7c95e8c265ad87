"""`dealflow`: the ops command line, over the HTTP API (never the database).

Credentials come from DEALFLOW_TOKEN or DEALFLOW_API_KEY, else from `dealflow login`, which keeps
the token in DEALFLOW_CLI_CONFIG (~/.config/dealflow/token). The API is DEALFLOW_API_URL."""

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

app = typer.Typer(
    help="dealflow ops: deals, stuck deals, retries, follow-ups.", no_args_is_help=True
)

DEFAULT_API = "http://127.0.0.1:8000"
JsonOption = Annotated[bool, typer.Option("--json", help="Print the API's JSON, for scripts.")]


def _token_file() -> Path:
    default = Path.home() / ".config" / "dealflow" / "token"
    return Path(os.environ.get("DEALFLOW_CLI_CONFIG", default))


def _api_url() -> str:
    return os.environ.get("DEALFLOW_API_URL", DEFAULT_API).rstrip("/")


def _headers() -> dict[str, str]:
    if key := os.environ.get("DEALFLOW_API_KEY"):
        return {"X-API-Key": key}
    token = os.environ.get("DEALFLOW_TOKEN")
    if not token and _token_file().exists():
        token = _token_file().read_text().strip()
    if not token:
        raise typer.BadParameter(
            "no credentials: `dealflow login`, DEALFLOW_TOKEN or DEALFLOW_API_KEY"
        )
    return {"Authorization": f"Bearer {token}"}


def _call(method: str, path: str, **kwargs: Any) -> Any:
    with httpx.Client(base_url=_api_url(), headers=_headers(), timeout=30) as client:
        response = client.request(method, path, **kwargs)
    if response.status_code >= 400:
        typer.echo(f"{method} {path}: {response.status_code} {response.text}", err=True)
        raise typer.Exit(1)
    return response.json()


def _table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    """Columns as wide as their widest cell; people read it, scripts use --json."""
    cells = [[("" if row.get(c) is None else str(row.get(c))) for c in columns] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    typer.echo("  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in cells:
        typer.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


def _out(data: Any, as_json: bool) -> bool:
    if as_json:
        typer.echo(json.dumps(data, indent=2))
    return as_json


@app.command()
def login(
    email: Annotated[str, typer.Option(prompt=True)],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
) -> None:
    """Sign in and keep the token for the next commands."""
    response = httpx.post(
        f"{_api_url()}/auth/token", data={"username": email, "password": password}, timeout=30
    )
    if response.status_code != 200:
        typer.echo(f"sign-in refused: {response.status_code} {response.text}", err=True)
        raise typer.Exit(1)
    path = _token_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(response.json()["access_token"])
    path.chmod(0o600)
    typer.echo(f"signed in as {email}")


@app.command()
def deals(
    stage: Annotated[str | None, typer.Option(help="Qualify, Develop, Propose, ...")] = None,
    owner: Annotated[str | None, typer.Option(help="owner's user id")] = None,
    team: Annotated[str | None, typer.Option(help="team id")] = None,
    account: Annotated[str | None, typer.Option(help="account id")] = None,
    source: Annotated[str | None, typer.Option(help="lead source")] = None,
    min_value: Annotated[str | None, typer.Option()] = None,
    max_value: Annotated[str | None, typer.Option()] = None,
    idle: Annotated[float | None, typer.Option(help="idle for at least these hours")] = None,
    status: Annotated[str, typer.Option(help="running, completed, terminated, ...")] = "running",
    limit: Annotated[int, typer.Option(help="at most this many, walking every page")] = 100,
    as_json: JsonOption = False,
) -> None:
    """Deals from Temporal visibility, newest first."""
    params: dict[str, Any] = {
        "stage": stage,
        "owner_id": owner,
        "team_id": team,
        "account_id": account,
        "lead_source": source,
        "min_value": min_value,
        "max_value": max_value,
        "idle_for_hours": idle,
        "status": status,
    }
    params = {k: v for k, v in params.items() if v is not None}
    found: list[dict[str, Any]] = []
    cursor = None
    while len(found) < limit:
        page = _call(
            "GET", "/deals", params={**params, "limit": min(limit - len(found), 500),
                                     **({"cursor": cursor} if cursor else {})}
        )  # fmt: skip
        found += page["data"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    if not _out(found, as_json):
        _table(found, ["deal_id", "stage", "owner_id", "value", "last_transition_at"])
        typer.echo(f"{len(found)} of {page['count']} deal(s)")


@app.command()
def deal(deal_id: str, as_json: JsonOption = False) -> None:
    """One deal: stage, records, pending reminders and follow-ups, history."""
    found = _call("GET", f"/deals/{deal_id}")
    if _out(found, as_json):
        return
    typer.echo(f"{found['deal_id']}  stage {found['stage']}  outcome {found['outcome']}  "
               f"status {found.get('status')}")  # fmt: skip
    state = found["state"]
    records = [
        {"record": name, "id": r["id"], "state": r["state"]}
        for name, rs in (
            ("lead", [state["lead"]] if state.get("lead") else []),
            ("opportunity", [state["opportunity"]] if state.get("opportunity") else []),
            ("quote", state["quotes"]),
            ("order", state["orders"]),
            ("invoice", state["invoices"]),
        )
        for r in rs
    ]
    typer.echo("\nrecords")
    _table(records, ["record", "id", "state"])
    typer.echo("\ntimers")
    _table(found["reminders"], ["kind", "at", "key"])
    typer.echo("\nhistory")
    _table(found["history"], ["at", "action", "stage", "by", "summary"])


@app.command()
def stuck(as_json: JsonOption = False) -> None:
    """Deals with an activity failing and retrying, or idle too long in their stage."""
    found = _call("GET", "/deals/stuck")
    if not _out(found["data"], as_json):
        columns = ["deal_id", "stage", "reason", "activity", "attempt", "next_retry_at", "detail"]
        _table(found["data"], columns)
        typer.echo(f"{found['count']} stuck deal(s)")


def _act(action: str, deal_id: str, reason: str, as_json: bool) -> None:
    done = _call("POST", f"/deals/{deal_id}/{action}", json={"reason": reason})
    if not _out(done, as_json):
        typer.echo(f"{deal_id}: {done['detail']} (recorded: {done['event']['summary']})")


ReasonOption = Annotated[str, typer.Option(help="why: recorded on the deal's history")]


@app.command()
def retry(deal_id: str, reason: ReasonOption, as_json: JsonOption = False) -> None:
    """Try the deal's failing activities again now."""
    _act("retry", deal_id, reason, as_json)


@app.command()
def terminate(deal_id: str, reason: ReasonOption, as_json: JsonOption = False) -> None:
    """End the deal's workflow run; its records keep their states."""
    _act("terminate", deal_id, reason, as_json)


@app.command()
def reset(deal_id: str, reason: ReasonOption, as_json: JsonOption = False) -> None:
    """Run the deal's workflow again from its last good point."""
    _act("reset", deal_id, reason, as_json)


@app.command("follow-ups")
def follow_ups(deal_id: str, as_json: JsonOption = False) -> None:
    """The deal's scheduled follow-ups still to fire."""
    found = _call("GET", f"/deals/{deal_id}/follow-ups")
    if not _out(found, as_json):
        _table(found, ["id", "due_at", "subject"])


@app.command()
def seed(deals: Annotated[int | None, typer.Option(help="how many sample deals")] = None) -> None:
    """Load the sample company through the API (as `make seed`)."""
    from demo import seed as demo

    sys.argv = ["dealflow seed", "--api", _api_url(), *(["--deals", str(deals)] if deals else [])]
    raise typer.Exit(demo.main())
