"""Which providers a deposit tries, in order: routes by method, currency and country.

Pure data and one lookup; the wiring builds the routes (`bootstrap.default_payment_providers()`).
The first route that matches wins, so list the specific routes (a country) before the general
ones. Its providers are tried in order: a soft decline or a timeout moves to the next one.
"""

from __future__ import annotations

from dataclasses import dataclass

from casino_app.domain.payments.vocabulary import PaymentMethodKind

ANY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Route:
    """`providers` in order of preference for `method` in these currencies and countries.

    An empty `currencies` or `countries` matches every one.
    """

    method: PaymentMethodKind
    providers: tuple[str, ...]
    currencies: frozenset[str] = ANY
    countries: frozenset[str] = ANY

    def matches(self, method: PaymentMethodKind, currency: str, country: str) -> bool:
        return (
            method == self.method
            and (not self.currencies or currency in self.currencies)
            and (not self.countries or country in self.countries)
        )


@dataclass(frozen=True)
class PaymentRouter:
    routes: tuple[Route, ...] = ()

    def providers_for(self, method: PaymentMethodKind, currency: str, country: str) -> tuple[str, ...]:
        """The ordered fallbacks of the first matching route (none: the method is not offered)."""
        for route in self.routes:
            if route.matches(method, currency.upper(), country.upper()):
                return route.providers
        return ()

    def provider_names(self) -> frozenset[str]:
        return frozenset(name for route in self.routes for name in route.providers)
