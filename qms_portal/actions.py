"""One POST view per user action of an HTML page (issue 20).

A page that offers several forms (a plan: approve, return, submit...) used to take every POST at its own URL and
dispatch on an `action` field, binding all its forms. Now the page is GET only and each action has its own URL,
named route and view, generated from a table of `Action`s: the view looks the object up as the page does (404
outside scope), checks the capability (403), binds that one form, calls one service in one transaction through
`attempt` (domain errors become form errors), then redirects (PRG), or shows the page again with the refused form.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST, require_safe

from .forms import attempt


@dataclass(frozen=True)
class Action:
    """`name`: the route's last segment, its name's suffix and the key in the page's set of actions; `forms`: the
    page's forms it binds (all must be valid; the first shows the service's errors); `call(ctx, data, forms)`: the
    service; `done`: the success message, or `done(ctx, forms, result)`; `capabilities`: any of them lets in."""

    name: str
    capabilities: tuple[str, ...]
    forms: tuple[str, ...]
    call: Callable
    done: object


@dataclass(frozen=True)
class ActionPage:
    """A page and its actions. `load(request, **kwargs) -> ctx` finds the object with the page's scoped selector
    (404 outside scope); `forms(ctx, bound=None, data=None, files=None)` builds the page's forms, binding only
    those of `bound`; `render(request, ctx, forms)` draws the page; `url(ctx)` is where a success goes back to;
    `can(user, capability)` is the app's capability check. `conflict_redirect`: when someone changed the record
    meanwhile, reload the page with a message instead of showing forms that no longer fit it."""

    name: str
    path: str
    load: Callable
    forms: Callable
    render: Callable
    url: Callable
    can: Callable
    actions: tuple[Action, ...] = field(default=())
    conflict_redirect: bool = False

    def allows(self, user, action: Action) -> bool:
        return any(self.can(user, capability) for capability in action.capabilities)

    def permitted(self, user) -> set[str]:
        """The actions the user's role may take here (a page whose object's state matters asks its selector)."""
        return {action.name for action in self.actions if self.allows(user, action)}

    def show(self, request, **kwargs):
        ctx = self.load(request, **kwargs)
        return self.render(request, ctx, self.forms(ctx))

    def view(self):
        """The GET-only view of the page: GETs never write."""
        return login_required(require_safe(self.show))

    def urls(self) -> list:
        """`<page path><action>/` named `<page>-<action>` for each action, POST only."""
        return [path(f"{self.path}{action.name}/", action_view(self, action), name=f"{self.name}-{action.name}")
                for action in self.actions]


def _message(action: Action, ctx, forms: dict, result) -> str:
    return action.done(ctx, forms, result) if callable(action.done) else action.done


def action_view(page: ActionPage, action: Action):
    @login_required
    @require_POST
    def view(request, **kwargs):
        ctx = page.load(request, **kwargs)
        if not page.allows(request.user, action):
            raise PermissionDenied
        forms = page.forms(ctx, action.name, request.POST, request.FILES)
        first, *others = (forms[name] for name in action.forms)
        result = {}

        @transaction.atomic
        def call(data):
            result["value"] = action.call(ctx, data, forms)

        if all(form.is_valid() for form in others) and attempt(first, call):
            messages.success(request, _message(action, ctx, forms, result.get("value")))
            return redirect(page.url(ctx))
        if page.conflict_redirect and getattr(first, "conflict", None):
            messages.error(request, first.conflict)
            return redirect(page.url(ctx))
        return page.render(request, ctx, forms)

    view.__name__ = view.__qualname__ = f"{page.name}_{action.name.replace('-', '_')}"
    return view
