"""The two reads Django makes on every signed-in request, in plain SQL.

Loading the session and then the signed-in user are the first two queries of every page. The
database answers each in a fraction of a millisecond; building them through the ORM took
longer than that (bench/load.py measures it). These subclasses keep Django's behaviour (expired
sessions are not found, inactive users are not signed in) and change only how the row is read:
`Model.objects.raw()` maps the row to the model with the same field conversions as the ORM.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        model = self.model
        rows = list(model.objects.raw(
            f"SELECT * FROM {model._meta.db_table} WHERE session_key = %s AND expire_date > %s",
            [self.session_key, timezone.now()],
        ))
        if not rows:
            self._session_key = None
            return None
        return rows[0]


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        from django.contrib.auth import get_user_model

        model = get_user_model()
        rows = list(model._default_manager.raw(
            f"SELECT * FROM {model._meta.db_table} WHERE {model._meta.pk.column} = %s", [user_id]
        ))
        if not rows:
            return None
        return rows[0] if self.user_can_authenticate(rows[0]) else None
