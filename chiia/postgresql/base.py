"""Django's PostgreSQL backend with a health check that costs no round trip.

Connections are kept open between requests (CHIIA_DB_CONN_MAX_AGE) and checked before reuse
(CONN_HEALTH_CHECKS), so a database restart costs nobody an error page. Django checks with a
`SELECT 1`, a round trip on every request that measured about a sixth of a busy worker's time
(bench/load.py). An idle connection in autocommit mode is never sent anything by the server
unless the server is ending it: a restart, `pg_terminate_backend` or a crash sends a final
message or closes the socket. So the socket is checked for pending data instead, without
waiting. What this cannot see (a network path that silently drops) a `SELECT 1` would only
have seen after a TCP timeout.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None or self.connection.closed:
            return False
        try:
            readable, _, _ = select.select([self.connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
