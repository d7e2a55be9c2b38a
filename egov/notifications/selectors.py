"""Reading notifications: the history other apps show next to their own objects."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Prefetch, QuerySet

from egov.notifications.models import Delivery, Notification, StaffMessage


def notifications_for(related_type: str, related_id: str) -> QuerySet[Notification]:
    """Notifications about one object, newest first, each with its deliveries (oldest first).

    ``related_type`` is the model's ``app_label.model_name`` (e.g. ``"dossiers.dossier"``).
    The caller decides who may see them: call this only for an object the user may see."""
    return (
        Notification.objects.filter(related_type=related_type, related_id=str(related_id))
        .prefetch_related(Prefetch("deliveries", queryset=Delivery.objects.order_by("created_at", "id")))
        .order_by("-created_at", "-id")
    )


def notifications_for_object(obj: models.Model) -> QuerySet[Notification]:
    """``notifications_for`` with the type and id taken from a model instance."""
    return notifications_for(obj._meta.label_lower, str(obj.pk))


def staff_messages_for(user: Any, *, unread_only: bool = False) -> QuerySet[StaffMessage]:
    """The in-app messages left for a member of staff, newest first."""
    qs = StaffMessage.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")
