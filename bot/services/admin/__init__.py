"""Admin changes: planned (validated, the season after them worked out), previewed, applied.

:mod:`plan` is the frozen plan and the change type every action has; one module per kind of
change (:mod:`penalties`, :mod:`results`, :mod:`race_state`, :mod:`entries`, :mod:`calendar`,
:mod:`sessions`, :mod:`weekend`) holds its change types and their planning; :mod:`apply` the
write lock, apply-once tokens and transaction; :mod:`undo` asks an audited change for its
inverse; :mod:`service` is what the adapters call.
"""

from bot.services.admin.apply import TOKENS_KEPT, Applied, OutcomeChanged
from bot.services.admin.plan import Actor, Change, Plan
from bot.services.admin.service import AdminService
from bot.services.admin.text import clean_text, race_phrase

__all__ = [
    "TOKENS_KEPT",
    "Actor",
    "AdminService",
    "Applied",
    "Change",
    "OutcomeChanged",
    "Plan",
    "clean_text",
    "race_phrase",
]
