"""The Reflex app: its pages, the mounted API and the lifespan jobs, over the process's one wiring."""

import functools

import reflex as rx

from casino_app.api.app import create_api
from casino_app.api.security import security_middleware
from casino_app.jobs import denials as denials_job
from casino_app.jobs import payments as payments_job
from casino_app.jobs import reconciliation as reconciliation_job
from casino_app.jobs import rg as rg_job
from casino_app.jobs import security as security_job
from casino_app.jobs.scheduler import run_forever
from casino_app.ui import wiring as ui_wiring
from casino_app.ui.components import connection, crash
from casino_app.ui.layouts.player import PAGES
from casino_app.ui.live import lifespan as live_lifespan
from casino_app.ui.pages.operator import dashboard as _operator_pages  # noqa: F401
from casino_app.ui.pages.operator import draws as _operator_draws  # noqa: F401
from casino_app.ui.pages.operator import login as _operator_login  # noqa: F401
from casino_app.ui.pages.operator import people as _operator_people  # noqa: F401
from casino_app.ui.pages.operator import reconciliation as _operator_reconciliation  # noqa: F401
from casino_app.ui.pages.operator import rg_cases as _operator_rg_cases  # noqa: F401
from casino_app.ui.pages.operator import rg_player as _operator_rg_player  # noqa: F401
from casino_app.ui.pages.operator import withdrawals as _operator_withdrawals  # noqa: F401
from casino_app.ui.pages.player import account as _account_pages  # noqa: F401
from casino_app.ui.pages.player import auth, dice, fairness, history, lobby, play, roulette, slots, wallet  # noqa: F401
from casino_app.ui.pages.player import inbox as _inbox_pages  # noqa: F401
from casino_app.ui.pages.player import privacy as _privacy_pages  # noqa: F401
from casino_app.ui.pages.player import responsible as _responsible_pages  # noqa: F401
from casino_app.ui.pages.public import blocked as _blocked_pages  # noqa: F401
from casino_app.ui.pages.public import legal as _legal_pages  # noqa: F401
from casino_app.ui.pages.public import mailbox as _mailbox_pages  # noqa: F401
from casino_app.ui.pages.public import not_found as _not_found_page  # noqa: F401
from casino_app.ui.pages.public import results as _results_pages  # noqa: F401
from casino_app.ui.pages.public import ticket_check as _ticket_check_page  # noqa: F401
from casino_app.ui.state.session.connection import SessionGuard

# Built once for this process (settings read now, database connections opened on first use).
wiring = ui_wiring.current()

app = rx.App(
    head_components=[
        rx.el.link(rel="manifest", href="/manifest.webmanifest"),
        rx.el.meta(name="theme-color", content="#1a1712"),
        rx.script(src="/countdown.js"),
        rx.script(src="/grid-keys.js"),
        rx.script(src="/session-clock.js"),
        rx.script(src="/verifier.js"),
        rx.script(src="/draw-verifier.js"),
        rx.script(src="/session.js"),
        # The installable app: the service worker's registration and the offline ticket queue.
        rx.el.link(rel="apple-touch-icon", href="/icons/icon-192.png"),
        rx.el.link(rel="stylesheet", href="/offline.css"),
        rx.script(src="/pwa.js"),
        rx.script(src="/ticket-queue.js"),
        rx.script(src="/offline-builder.js"),
    ],
    api_transformer=[create_api(wiring), functools.partial(security_middleware, settings=wiring.settings)],
    # Screen readers' default; each player page sets the tab's own language (PrefsState.detect).
    html_lang="en",
    # Toasts at the top: on phones the bottom of the screen belongs to the tab bar.
    toaster=rx.toast.provider(position="top-center", close_button=True),
)

# A calm "Reconnecting…" instead of Reflex's red toast with the raw websocket URL.
app.app_wraps[(5, "Overlay")] = connection.overlay
# A calm bilingual error page instead of the framework's stack trace.
app.app_wraps[(55, "ErrorBoundary")] = crash.error_boundary

# Before every event: the tab follows its browser's session cookie (idle, expiry, revocation),
# a connection from another browser gets nothing, one that keeps being denied is closed.
app.add_middleware(SessionGuard())

for spec in PAGES:
    app.add_page(spec.component, route=spec.route, title=spec.title, on_load=spec.on_load)

app.register_lifespan_task(run_forever, wiring=wiring)
app.register_lifespan_task(security_job.run_forever, wiring=wiring)
app.register_lifespan_task(reconciliation_job.run_forever, wiring=wiring)
app.register_lifespan_task(denials_job.run_forever, wiring=wiring)
app.register_lifespan_task(payments_job.run_forever, wiring=wiring)
app.register_lifespan_task(rg_job.run_forever, wiring=wiring)
app.register_lifespan_task(live_lifespan.run_forever, wiring=wiring)
