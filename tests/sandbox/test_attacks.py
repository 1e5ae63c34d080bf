"""The adversarial suite (sandbox/attacks.py) against every available backend.

A backend either contains an attack, or declares (through its capability flags) that it cannot: the
local backend must say it is not isolated, never pretend."""

from __future__ import annotations

import pytest

from sandbox.attacks import ATTACKS, attack_context, open_attack_sandbox, run_attack


@pytest.fixture(scope="module")
def ctx():
    with attack_context() as c:
        yield c


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_attack_contained_or_declared(backend, attack, ctx, tmp_path):
    with open_attack_sandbox(backend, ctx, tmp_path / "ws") as sb:
        verdict = run_attack(attack, sb, ctx)
    if verdict.claimed:
        assert verdict.contained, f"{backend} claims {attack.capability} but {attack.name}: {verdict.detail}"
    else:
        assert verdict.by_design and not verdict.contained, (
            f"{backend} does not claim {attack.capability}, yet {attack.name} was reported {verdict.label}: "
            f"{verdict.detail} (update its capability flags if it really contains this)")


def test_isolated_backends_claim_everything(backend, ctx, tmp_path):
    with open_attack_sandbox(backend, ctx, tmp_path / "ws") as sb:
        caps = sb.isolation.capabilities
    if backend == "local":
        assert not (caps.network_isolated or caps.filesystem_isolated or caps.data_read_only or caps.pid_isolated)
    else:
        assert caps.network_isolated and caps.filesystem_isolated and caps.data_read_only and caps.pid_isolated
