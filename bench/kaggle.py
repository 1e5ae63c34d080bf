"""Kaggle downloads through the official `kaggle` client: competition files and leaderboards.

Every failure becomes a `KaggleError` whose message says what to do (credentials, rules,
network). The client's endpoint follows its own settings: `KAGGLE_API_ENVIRONMENT=LOCALHOST`
sends requests to `http://localhost`, and the usual `HTTP(S)_PROXY` variables apply; the tests
use both to point the real client at a fake server on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import time
from pathlib import Path
from typing import Any

import pandas as pd

logger = logging.getLogger(__name__)

CREDENTIALS_HELP = (
    "Kaggle credentials are missing. Create an API token at https://www.kaggle.com/settings/api "
    "and either save it as ~/.kaggle/kaggle.json ({\"username\": ..., \"key\": ...}, chmod 600) or "
    "set KAGGLE_USERNAME and KAGGLE_KEY (or KAGGLE_API_TOKEN). Or skip Kaggle: download the "
    "competition archive by hand and run `python -m bench prepare -c ID --archive FILE`."
)


class KaggleError(RuntimeError):
    """A Kaggle call failed; the message is meant for the user."""


def rules_url(competition_id: str) -> str:
    return f"https://www.kaggle.com/competitions/{competition_id}/rules"


@contextlib.contextmanager
def _quiet():
    # The client prints help text and progress to stdout; our CLI reports errors itself.
    with contextlib.redirect_stdout(io.StringIO()):
        yield


def _api() -> Any:
    with _quiet():
        try:
            from kaggle.api.kaggle_api_extended import KaggleApi

            api = KaggleApi()
            if os.environ.get("KAGGLE_API_ENVIRONMENT") == "LOCALHOST" and "--local" not in api.args:
                # The client reads this variable once, at import; honour its value at call time.
                api.args = [*api.args, "--local"]
            api.authenticate()
        except SystemExit:
            raise KaggleError(CREDENTIALS_HELP) from None
        except ImportError:
            raise KaggleError("the `kaggle` package is not installed: pip install kaggle") from None
    return api


def _explain(exc: Exception, competition_id: str, what: str) -> KaggleError:
    """Turn a client exception into an actionable message."""
    import requests

    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    if status == 401:
        return KaggleError(f"Kaggle rejected the credentials (401) while {what}. The API key may be wrong "
                           "or expired: create a new token at https://www.kaggle.com/settings/api.")
    if status == 403:
        return KaggleError(f"Kaggle refused access to {competition_id!r} (403) while {what}: you have probably "
                           f"not accepted the competition rules. Open {rules_url(competition_id)}, click "
                           "'I Understand and Accept', then run the command again.")
    if status == 404:
        return KaggleError(f"Kaggle has no competition {competition_id!r} (404) while {what}; check the id.")
    if status is not None and status >= 500:
        return KaggleError(f"Kaggle's server failed ({status}) while {what}. This is on Kaggle's side: "
                           "wait a little and run the command again.")
    if isinstance(exc, (requests.ConnectionError, requests.Timeout)):
        return KaggleError(f"could not reach Kaggle while {what} ({type(exc).__name__}). Check the network "
                           "connection and any HTTP(S)_PROXY settings, or prepare from a hand-downloaded "
                           "archive with --archive FILE.")
    return KaggleError(f"Kaggle call failed while {what}: {exc}")


def _retrying(call, competition_id: str, what: str, retries: int, backoff_s: float):
    """Run `call`, retrying network and 5xx errors (not 4xx: those need the user)."""
    import requests

    for attempt in range(1, retries + 1):
        try:
            with _quiet():
                return call()
        except (requests.RequestException, OSError) as exc:
            error = _explain(exc, competition_id, what)
            status = getattr(getattr(exc, "response", None), "status_code", None)
            transient = status is None or status >= 500
            if isinstance(exc, OSError) and not isinstance(exc, requests.RequestException):
                raise  # local disk errors (ENOSPC...) are not Kaggle's
            if not transient or attempt == retries:
                raise error from None
            logger.warning("%s (attempt %d/%d), retrying", error, attempt, retries)
            time.sleep(backoff_s * attempt)


def download_competition_files(competition_id: str, dest_dir: Path, retries: int = 3,
                               backoff_s: float = 1.0) -> Path:
    """Download the competition's archive into `dest_dir`; returns its path (`<id>.zip`)."""
    api = _api()
    dest_dir.mkdir(parents=True, exist_ok=True)
    _retrying(lambda: api.competition_download_files(competition_id, path=str(dest_dir), quiet=True),
              competition_id, "downloading the competition files", retries, backoff_s)
    archives = sorted(p for p in dest_dir.glob(f"{competition_id}.*") if p.is_file() and p.suffix != ".kaggle-partial")
    if not archives:
        raise KaggleError(f"the Kaggle download for {competition_id!r} produced no archive in {dest_dir}")
    return archives[0]


def download_leaderboard(competition_id: str, retries: int = 3, backoff_s: float = 1.0,
                         page_size: int = 200) -> pd.DataFrame:
    """The competition's leaderboard as a DataFrame (`teamId,teamName,submissionDate,score`)."""
    api = _api()
    rows: list[dict] = []
    token: str | None = None
    while True:
        page = _retrying(lambda: _leaderboard_page(api, competition_id, page_size, token),
                         competition_id, "downloading the leaderboard", retries, backoff_s)
        submissions, token = page
        rows.extend(submissions)
        if not token:
            break
    if not rows:
        raise KaggleError(f"Kaggle returned an empty leaderboard for {competition_id!r}")
    frame = pd.DataFrame(rows)
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce")
    return frame


SUPPORTED_CLIENT = "kaggle>=2.2,<3"


def _leaderboard_page(api: Any, competition_id: str, page_size: int, token: str | None):
    if not hasattr(api, "build_kaggle_client"):
        raise KaggleError(f"the installed `kaggle` client is too old for the leaderboard API this tool uses; "
                          f"run `pip install '{SUPPORTED_CLIENT}'`, or pass --leaderboard-from PATH.")
    from kagglesdk.competitions.types.competition_api_service import ApiGetLeaderboardRequest

    with api.build_kaggle_client() as client:
        request = ApiGetLeaderboardRequest()
        request.competition_name = competition_id
        request.page_size = page_size
        if token:
            request.page_token = token
        response = client.competitions.competition_api_client.get_leaderboard(request)
    rows = [{"teamId": s.team_id, "teamName": s.team_name, "submissionDate": s.submission_date,
             "score": s.score} for s in (response.submissions or [])]
    return rows, response.next_page_token or None
