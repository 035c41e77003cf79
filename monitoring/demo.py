"""The whole demo municipality: the registry's people (registry.demo), then their pairs
(mentorship.demo) and its roadmaps (roadmaps.demo), in one transaction. The top app joins them,
so that the registry never imports mentorship or roadmaps (apps import downward only)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from core.russian import count_noun
from mentorship.demo import delete_demo_pairs, demo_pairs_exist, load_demo_pairs
from monitoring.demo_campaigns import delete_demo_campaigns, demo_campaigns_exist, load_demo_campaigns
from monitoring.indicators import load_demo_targets
from registry import demo as registry_demo
from registry.models import Municipality
from roadmaps.demo import delete_demo_roadmaps, demo_roadmaps_exist, load_demo_roadmaps


def demo_municipality() -> Municipality | None:
    return Municipality.objects.filter(name=registry_demo.DEMO_MUNICIPALITY).first()


def load_demo(
    *,
    seed: int = registry_demo.DEFAULT_SEED,
    scale: float = 1.0,
    reset: bool = False,
    today: datetime.date | None = None,
) -> tuple[dict | None, list[str]]:
    """Load the demo municipality with its pairs and roadmaps. Returns (counts, notes); counts is
    None when it is loaded already and `reset` is off (then nothing changes).

    A demo municipality loaded before it had pairs (or roadmaps) gets them (counts then hold only
    theirs). `reset` deletes the roadmaps and the pairs first: they hold the people and
    organizations (PROTECT)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        municipality = demo_municipality()
        notes: list[str] = []
        if municipality is not None and not reset:
            counts: dict = {}
            if not demo_pairs_exist(municipality):
                counts, pair_notes = load_demo_pairs(municipality=municipality, seed=seed, today=today)
                notes += ["Демо-муниципалитет был загружен без пар: пары добавлены, люди не изменены.", *pair_notes]
            if not demo_roadmaps_exist(municipality):
                roadmap_counts, roadmap_notes = load_demo_roadmaps(municipality=municipality, today=today)
                counts = {**counts, **roadmap_counts}
                notes += ["Демо-муниципалитет был загружен без дорожных карт: они добавлены.", *roadmap_notes]
            # Targets are added where missing (an older demo had none); set ones stay as they are.
            load_demo_targets(municipality, today=today)
            # Requisites for documents and the logins' patronymics and positions (issue 10), where missing.
            if registry_demo.fill_demo_requisites(municipality):
                notes.append("Демо-муниципалитету добавлены реквизиты для документов и должности пользователей.")
            if not demo_campaigns_exist(municipality):
                counts = {**counts, **load_demo_campaigns(municipality, today=today)}
                notes.append("Демо-муниципалитет был загружен без сборов информации: они добавлены.")
            return (counts or None), notes
        if municipality is not None:
            campaigns = delete_demo_campaigns(municipality)
            if campaigns:
                notes.append(
                    "Удалены сборы информации прежнего демо-муниципалитета "
                    f"({count_noun(campaigns, 'сбор,сбора,сборов')})."
                )
            roadmaps = delete_demo_roadmaps(municipality)
            if roadmaps:
                notes.append(
                    "Удалены дорожные карты прежнего демо-муниципалитета "
                    f"({count_noun(roadmaps, 'дорожная карта,дорожные карты,дорожных карт')})."
                )
            deleted = delete_demo_pairs(municipality)
            if deleted:
                notes.append(f"Удалены пары прежнего демо-муниципалитета ({count_noun(deleted, 'пара,пары,пар')}).")
        counts, registry_notes = registry_demo.load_demo(seed=seed, scale=scale, reset=reset, today=today)
        municipality = demo_municipality()
        pair_counts, pair_notes = load_demo_pairs(municipality=municipality, seed=seed, today=today)
        roadmap_counts, roadmap_notes = load_demo_roadmaps(municipality=municipality, today=today)
        load_demo_targets(municipality, today=today)
        campaign_counts = load_demo_campaigns(municipality, today=today)
        return (
            {**counts, **pair_counts, **roadmap_counts, **campaign_counts},
            notes + registry_notes + pair_notes + roadmap_notes,
        )
