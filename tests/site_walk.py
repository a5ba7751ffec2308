"""The site as the sweeps under tests/core/ see it: every URL pattern of the resolver, and the
demo data with a few demo accounts that may sign in."""

import io
import re
from dataclasses import dataclass

from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from shegong.accounts.models import User


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"; "" for an unnamed pattern
    route: str  # the joined pattern text, e.g. "console/activities/<int:pk>/"
    patterns: tuple  # the resolver chain's pattern objects, outermost first
    parameters: tuple[str, ...]  # path parameters (not the pattern's fixed default kwargs)
    target: URLPattern

    @property
    def area(self) -> str:
        if self.route.startswith("admin/"):
            return "admin"
        if self.route.startswith("console/"):
            return "console"
        if self.route.startswith("accounts/"):
            return "accounts"
        if self.route.startswith("api/v1/"):
            return "api"  # the REST API: token sign-in, JSON (docs/api.md)
        return "public"

    def path(self, values: dict) -> str:
        """The URL with ``values`` put in for the parameters."""
        parts = []
        for pattern in self.patterns:
            text = str(pattern.pattern)
            if isinstance(pattern.pattern, RoutePattern):
                text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m[1]]), text)
            else:
                text = re.sub(
                    r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)", lambda m: str(values[m[1]]), text
                )
                text = text.lstrip("^").rstrip("$").replace("\\", "")
            parts.append(text)
        return "/" + "".join(parts)


def _walk(patterns, chain=(), namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, (*chain, entry), inner)
        else:
            full = (*chain, entry)
            names = []
            for pattern in full:
                names += list(pattern.pattern.regex.groupindex)
            parameters = tuple(n for n in names if n not in entry.default_args)
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield Route(
                name=name or "",
                route="".join(str(p.pattern) for p in full),
                patterns=full,
                parameters=parameters,
                target=entry,
            )


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def seed_demo_with_staff(*usernames: str) -> None:
    """The demo data, with ``usernames`` able to sign in: demo accounts cannot outside demo
    mode (DEMO_MODE), as in tests."""
    call_command("seed_demo", stdout=io.StringIO())
    User.objects.filter(username__in=usernames).update(is_demo=False)


def page_words(html: str) -> str:
    """A page's words without its markup, as a reader sees them: "共 <strong>1</strong> 条"
    reads "共 1 条"."""
    return re.sub(r"<[^>]+>", "", html)
