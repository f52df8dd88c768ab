"""``feedpub notify test BRAND`` against the stack's own destinations: an e-mail through its
SMTP server and a signed webhook to its receiver, as a person checks a destination."""

from __future__ import annotations

from devstack.silent_port import SilentPort
from devstack.stack import EmbeddedStack

from .cli import feedpub


def test_the_stack_stands_in_for_the_destinations_the_brands_name(stack: EmbeddedStack) -> None:
    named = {name for brand in stack.brands.values() for name in brand.notify_env}
    assert set(stack.notify_env) == named >= {
        "NOTIFY_TEAM_EMAIL", "NOTIFY_POMANDI_WEBHOOK", "NOTIFY_COSTUME_WEBHOOK",
    }  # fmt: skip
    assert stack.notify_env.items() <= stack.worker_env().items()
    assert set(stack.inbox.hook_secrets.values()) <= set(stack.secrets())


async def test_a_test_message_reaches_every_destination_of_the_brand(
    stack: EmbeddedStack,
) -> None:
    code, out = await feedpub(stack, "notify", "test", "costume", env=stack.notify_env)
    assert code == 0, out
    assert out.splitlines() == [
        "NOTIFY_TEAM_EMAIL       delivered",
        "NOTIFY_COSTUME_WEBHOOK  delivered",
    ]
    # Only the brand's test messages: the runs of other tests tell the same inbox.
    tests = [
        got for got in stack.inbox.received() if got.subject == "feedpub costume: test message"
    ]
    mail = [got for got in tests if got.receiver == "smtp"]
    hook = [got for got in tests if got.receiver == "webhook"]
    assert [got.to for got in mail] == ["team@example.com"]
    assert [(got.to, got.verified) for got in hook] == [("costume-webhook", True)]
    assert mail[0].event_id == hook[0].event_id and mail[0].event_id.startswith("test:costume:")
    assert not [secret for secret in stack.secrets() if secret in out]


async def test_a_destination_that_cannot_be_reached_is_reported_not_delivered(
    stack: EmbeddedStack,
) -> None:
    gone = SilentPort()
    gone.stop()  # nothing listens on its port any more
    unreachable = f"signedhook://127.0.0.1:{gone.port}/hook?secret=unreachable-secret-0123"
    env = {**stack.notify_env, "NOTIFY_POMANDI_WEBHOOK": unreachable}
    code, out = await feedpub(stack, "notify", "test", "pomandi", "--timeout", "2", env=env)
    assert code == 1, out
    assert out.splitlines() == [
        "NOTIFY_TEAM_EMAIL       delivered",
        "NOTIFY_POMANDI_WEBHOOK  not delivered: could not reach 127.0.0.1 (ConnectError)",
    ]
    assert "unreachable-secret-0123" not in out
