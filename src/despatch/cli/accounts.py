"""`despatch users`, `despatch tokens`, `despatch collections` and `despatch audit`: accounts, API
tokens, who may read which collection, and the audit log (`despatch.access`).

Whoever runs these commands can open the archive file, and so is its owner: they are not signed in.
Passwords are never command-line arguments (other users of the machine can read those): they are typed
twice at a prompt, or read the same way, two lines, from standard input when it is not a terminal.
"""

from __future__ import annotations

import getpass
import json
import sys

import click

from ..access import ROLES, VISIBILITIES
from ..access import accounts as acc
from ..enrich.curation import who
from ..errors import BadOption
from .app import main, opened


def read_password(prompt: str = "Password") -> str:
    """A new password, typed twice (or two equal lines on stdin when it is not a terminal)."""
    if sys.stdin.isatty():
        first = getpass.getpass(f"{prompt}: ")
        second = getpass.getpass(f"{prompt} again: ")
    else:
        first = sys.stdin.readline().rstrip("\r\n")
        second = sys.stdin.readline().rstrip("\r\n")
    if first != second:
        raise BadOption("the two passwords differ")
    return first


@main.group("users")
def users_group() -> None:
    """Accounts of the archive: readers, curators and admins."""


@users_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="reader", show_default=True,
              help="reader: reads members' collections; curator: also curates entities; admin: reads everything.")
@click.pass_context
def users_add(ctx: click.Context, name: str, role: str) -> None:
    """Add a user; the password is asked for twice (or read as two lines from stdin)."""
    acc.check_name(name)
    acc.check_role(role)
    password = read_password()
    with opened(ctx) as arch:
        acc.add_user(arch, name, role, password, by=who())
    click.echo(f"added {name} ({role})")


@users_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per user.")
@click.pass_context
def users_list(ctx: click.Context, as_json: bool) -> None:
    """Every user, with their role and when they were added (never a password hash)."""
    with opened(ctx, readonly=True) as arch:
        for u in arch.users():
            if as_json:
                click.echo(json.dumps({"name": u.name, "role": u.role, "created_at": u.created_at}))
            else:
                click.echo(f"{u.name}\t{u.role}\t{u.created_at}")


@users_group.command("remove")
@click.argument("name")
@click.pass_context
def users_remove(ctx: click.Context, name: str) -> None:
    """Remove a user with their API tokens and sessions."""
    with opened(ctx) as arch:
        acc.remove_user(arch, name, by=who())
    click.echo(f"removed {name}")


@users_group.command("set-role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@click.pass_context
def users_set_role(ctx: click.Context, name: str, role: str) -> None:
    """Change a user's role (it applies to their next request)."""
    with opened(ctx) as arch:
        acc.set_role(arch, name, role, by=who())
    click.echo(f"{name} is now {role}")


@users_group.command("set-password")
@click.argument("name")
@click.pass_context
def users_set_password(ctx: click.Context, name: str) -> None:
    """Change a user's password (asked for twice, or two lines on stdin); signs them out everywhere."""
    password = read_password("New password")
    with opened(ctx) as arch:
        acc.set_password(arch, name, password, by=who())
    click.echo(f"changed the password of {name}")


@main.group("tokens")
def tokens_group() -> None:
    """API tokens: sent as `Authorization: Bearer TOKEN`, they read the API as their user."""


@tokens_group.command("create")
@click.argument("name")
@click.option("--label", default="", help="What the token is for (shown by `despatch tokens list`).")
@click.pass_context
def tokens_create(ctx: click.Context, name: str, label: str) -> None:
    """Create an API token for user NAME and print it, once: only its hash is kept."""
    with opened(ctx) as arch:
        rec, secret = acc.create_token(arch, name, label, by=who())
    click.echo(f"token {rec.id} for {name} (shown once; keep it secret):", err=True)
    click.echo(secret)


@tokens_group.command("list")
@click.option("--user", default=None, metavar="NAME", help="Only this user's tokens.")
@click.pass_context
def tokens_list(ctx: click.Context, user: str | None) -> None:
    """Tokens by id, user, creation time and label (the tokens themselves are not kept)."""
    with opened(ctx, readonly=True) as arch:
        for t in arch.tokens(user):
            click.echo(f"{t.id}\t{t.user}\t{t.created_at}\t{t.label}")


@tokens_group.command("revoke")
@click.argument("token_id")
@click.pass_context
def tokens_revoke(ctx: click.Context, token_id: str) -> None:
    """Revoke a token by its id: requests that send it are refused from then on."""
    with opened(ctx) as arch:
        acc.revoke_token(arch, token_id, by=who())
    click.echo(f"revoked {token_id}")


@main.group("collections")
def collections_group() -> None:
    """Who may read each collection."""


@collections_group.command("set")
@click.argument("name")
@click.option("--visibility", type=click.Choice(VISIBILITIES), required=True,
              help="public: everyone; members: anyone signed in; private: only the users named with --allow.")
@click.option("--embargo", default=None, metavar="DATE",
              help="Until this day (YYYY-MM-DD) only admins and --allow users read it, whatever its visibility.")
@click.option("--allow", multiple=True, metavar="USER",
              help="A user who may read it when private or embargoed (repeat for several).")
@click.pass_context
def collections_set(ctx: click.Context, name: str, visibility: str, embargo: str | None,
                    allow: tuple[str, ...]) -> None:
    """Set who may read collection NAME (replacing what was set before)."""
    with opened(ctx) as arch:
        rec = acc.set_access(arch, name, visibility, embargo, list(allow), by=who())
        known = {c["name"] for c in arch.collections()}
    shown = rec.visibility + (f", embargoed until {rec.embargo}" if rec.embargo else "")
    shown += f", readable by {', '.join(rec.allowed)}" if rec.allowed else ""
    click.echo(f"{name}: {shown}")
    if name not in known:
        click.echo(f"note: the archive has no collection {name!r} yet; this applies once it is ingested", err=True)


@collections_group.command("list")
@click.pass_context
def collections_list(ctx: click.Context) -> None:
    """Every collection with its documents, visibility, embargo and named readers."""
    with opened(ctx, readonly=True) as arch:
        rules = {a.collection: a for a in arch.collection_access()}
        counts = {c["name"]: c["documents"] for c in arch.collections()}
        for name in sorted(set(rules) | set(counts)):
            a = rules.get(name)
            click.echo("\t".join([name, str(counts.get(name, 0)), a.visibility if a else "public",
                                  (a.embargo or "") if a else "", ",".join(a.allowed) if a else ""]))


@main.command("audit")
@click.option("--action", default=None, help="Only this kind: sign-in, sign-in-failed, export, source, curation, "
              "user-add, user-role, user-password, user-remove, token-create, token-revoke, access.")
@click.option("--user", default=None, metavar="NAME", help="Only what this person did (or tried).")
@click.option("--since", default=None, metavar="TIME", help="Only from this time on (UTC, e.g. 2026-12-01).")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 1_000_000))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per entry.")
@click.pass_context
def audit_cmd(ctx: click.Context, action: str | None, user: str | None, since: str | None, limit: int,
              as_json: bool) -> None:
    """The audit log, newest first: sign-ins, failed sign-ins, exports, source downloads, curation and
    changes to users, tokens and access, each with who and when."""
    with opened(ctx, readonly=True) as arch:
        for e in arch.audit(action, user, since, limit):
            if as_json:
                click.echo(json.dumps(e.__dict__, ensure_ascii=False))
            else:
                detail = "; ".join(f"{k}: {v}" for k, v in e.detail.items())
                click.echo(f"{e.at}\t{e.who or '-'}\t{e.action}\t{e.target}\t{detail}")
