"""``feedpub approve``/``reject``/``edit`` (a person's decision on a run) and ``another-photo``
(a planned run gives its photo back and plans another): each is the run's update of that name
in the contract. A refusal (the run's validator, a run that ended, no such run) is one line."""

from __future__ import annotations

import argparse
import getpass
import socket
from typing import Any

from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import FailureError
from temporalio.service import RPCError, RPCStatusCode

from feedpub.contract.run import ANOTHER_PHOTO, APPROVE, EDIT, REJECT, CaptionEdit, DecidedBy

from ..servers import AppError
from .common import connect, run_command

__all__ = ["command_line_person", "register"]

# Temporal answers NOT_FOUND both for an unknown workflow id and for a run that has ended.
_ENDED = "already completed"


def register(commands: Any) -> None:
    for name, text in (("approve", "publish a waiting run"), ("reject", "do not publish it")):
        decide = commands.add_parser(name, help=text)
        decide.add_argument("run_id", metavar="RUN_ID", help="the run's workflow id")
        if name == "reject":
            decide.add_argument("--reason", required=True)
        decide.set_defaults(handler=lambda args: run_command(lambda: decide_run(args)))
    edit = commands.add_parser("edit", help="publish a waiting run with other captions")
    edit.add_argument("run_id", metavar="RUN_ID")
    edit.add_argument("--facebook")
    edit.add_argument("--instagram")
    edit.set_defaults(handler=lambda args: run_command(lambda: decide_run(args)))
    another = commands.add_parser(
        "another-photo",
        help="plan another photo for a planned run, before its slot",
        description="Give the photo of planned run RUN_ID back and plan another, with new "
        "captions to be decided on again. Answers once the new plan is in place.",
    )
    another.add_argument("run_id", metavar="RUN_ID", help="the run's workflow id")
    another.add_argument("--reason", required=True, help="why the photo is not the one")
    another.set_defaults(handler=lambda args: run_command(lambda: decide_run(args)))


def command_line_person() -> DecidedBy:
    """Who decides from this shell: ``user@host``, as the report will name them."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name and no password entry (a bare container)
        user = "unknown"
    return DecidedBy(person=f"{user}@{socket.gethostname()}", via="cli")


async def decide_run(args: argparse.Namespace) -> int:
    """Send the command's update to run ``args.run_id`` and print its answer."""
    by = command_line_person()
    arguments: list[Any]
    if args.command == "approve":
        update, arguments = APPROVE, [by]
    elif args.command == "reject":
        update, arguments = REJECT, [args.reason, by]
    elif args.command == "edit":
        update, arguments = EDIT, [CaptionEdit(args.facebook, args.instagram, by=by)]
    else:
        update, arguments = ANOTHER_PHOTO, [args.reason, by]
    handle = (await connect()).get_workflow_handle(args.run_id)
    try:
        outcome = await handle.execute_update(update, args=arguments, result_type=str)
    except WorkflowUpdateFailedError as exc:
        # The refusal's own words, without the exception type it was raised as.
        why = exc.cause.message if isinstance(exc.cause, FailureError) else str(exc.cause)
        raise AppError(f"run {args.run_id}: {why}") from None
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND and _ENDED in exc.message:
            raise AppError(f"run {args.run_id} has ended: nothing about it can change") from None
        if exc.status == RPCStatusCode.NOT_FOUND:
            raise AppError(f"no run with workflow id '{args.run_id}'", 2) from None
        raise AppError(f"run {args.run_id}: {exc.message}") from None
    print(f"{args.run_id}: {outcome}")
    return 0
