"""Where each page and feed lives in the site, and the secret addresses of private ones.

Athlete pages and feeds hold health data, so their folder is a keyed hash of the
athlete's id: it cannot be guessed, stays the same from build to build, and changes
when the coach raises the athlete's `link_key` (to retire a leaked address). The staff
page's folder moves likewise with `site.staff_link_key` (`sprintback rotate` raises both).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

from builder.models import Athlete
from builder.plan import DoseKey


@dataclass(frozen=True)
class Links:
    """Paths of the site's pages, relative to the site's root."""

    secret: bytes
    staff_link_key: int = 0
    """The project's `site.staff_link_key`: raised to move the staff page and the team feed."""

    def _token(self, *parts: str) -> str:
        digest = hmac.new(self.secret, ":".join(parts).encode(), hashlib.sha256).digest()
        return base64.b32encode(digest).decode().lower()[:26]  # 130 bits

    def athlete_dir(self, athlete_id: str, athlete: Athlete, link_key: int | None = None) -> str:
        """The athlete's folder; with `link_key`, the folder of that (retired) key instead of the athlete's own."""
        key = athlete.link_key if link_key is None else link_key
        return f"athletes/{self._token('athlete', athlete_id, str(key))}/"

    def staff_dir(self) -> str:
        # Key 0 hashes as before the setting existed, so no published staff address moved with it.
        parts = ("staff", str(self.staff_link_key)) if self.staff_link_key else ("staff",)
        return f"staff/{self._token(*parts)}/"

    def staff_feed(self, athlete_id: str) -> str:
        """An athlete's feed for staff, beside the team feed (ids have no '.', so none is `team.ics`)."""
        return f"{self.staff_dir()}athlete-{athlete_id}.ics"

    @staticmethod
    def program_dir(program_id: str) -> str:
        return f"programs/{program_id}/"

    @staticmethod
    def session_dir(program_id: str, key: DoseKey) -> str:
        """A dosed session's page: one folder level per part of its key, so no two keys share one."""
        week = f"week-{key.step}" + ("-deload" if key.deload else "")
        # A variant's own session (its origin starts `grade-`, `muscle-` or `pain-`) never meets a `week-` folder.
        origin = f"{key.origin}/" if key.origin else ""
        return f"programs/{program_id}/sessions/{key.phase}/{key.session}/{origin}{week}/"

    @staticmethod
    def grade_dir(program_id: str, grade: str, muscle: str | None = None) -> str:
        """A grade's week-by-week doses (`grades/2/`; for a muscle's variant, `grades/2/soleus/`)."""
        return f"programs/{program_id}/grades/{grade}/" + (f"{muscle}/" if muscle else "")

    @staticmethod
    def drill_dir(drill_id: str) -> str:
        return f"drills/{drill_id}/"


Output = tuple[str, Callable[[], bytes]]
"""A file of the site: its path, and how to make its bytes (called when it is written)."""

FEED_NAME = "calendar.ics"
BUSY_FEED_NAME = "busy.ics"
"""Beside FEED_NAME: the same times, titled "Training" and "Check-in", nothing else (for a work calendar)."""
TEAM_FEED_NAME = "team.ics"
UPCOMING_FEED_NAME = "upcoming.ics"
"""Beside TEAM_FEED_NAME: every athlete's events in the weeks ahead of the build's day."""
