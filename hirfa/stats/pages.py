"""Which tables each statistics page shows, and those of a month for the monthly report."""

from __future__ import annotations

from datetime import date

from hirfa.accounts.selectors import Scope
from hirfa.core.tables import Table
from hirfa.stats import figures, figures_work, selectors
from hirfa.stats.filters import Filters, for_month


def tables_of(page: str, user_or_scope, filters: Filters) -> list[Table]:
    """The tables of a statistics page for a user (or a Scope), within their territory."""
    lookup = selectors.scope_lookup(user_or_scope)
    as_of, _stale = selectors.as_of()
    if page == "registrations":
        tables = [
            figures.registrations_by_month(lookup, filters, as_of),
            figures.registrations_by(lookup, filters, as_of),
            figures.against_census(lookup, filters, as_of, level="province"),
        ]
        if not (filters.province_id or lookup.get("province_id")):
            tables.append(figures.against_census(lookup, filters, as_of, level="region"))
        return tables
    if page == "applications":
        return [
            figures_work.applications_by_month(lookup, filters, as_of),
            figures_work.review_times(lookup, filters, as_of),
            figures_work.rejection_reasons(lookup, filters, as_of),
        ]
    if page == "cards":
        return [
            figures_work.cards_by_month(lookup, filters, as_of),
            figures_work.cards_by_province(lookup, filters, as_of),
        ]
    if page == "amo":
        by_province = figures_work.amo_by_province(lookup, filters, as_of)
        return [
            figures_work.amo_by_month(lookup, filters, as_of),
            figures_work.amo_funnel(by_province),
            by_province,
        ]
    if page == "outreach":
        return [figures_work.outreach_by_month(lookup, filters, as_of)]
    raise ValueError(page)


def month_tables(user_or_scope, month: date) -> list[Table]:
    """Every table of one month for a user's (or a Scope's) territory: the monthly report's.

    `user_or_scope` is a user (their scope applies, and their right to see statistics) or
    an `accounts.selectors.Scope` (a report job for the nation: `Scope(national=True)`).
    """
    filters = for_month(month)
    tables = []
    for page in figures.PAGES:
        tables += tables_of(page, user_or_scope, filters)
    return tables


__all__ = ["Scope", "month_tables", "tables_of"]
