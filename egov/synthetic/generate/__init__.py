"""Synthetic dossier history for the demo province.

``egov demo`` should open on inboxes and statistics that look like a real province's: a few
thousand dossiers received over the past five months at the one-stop departments, across the
published procedures and the three channels, most resolved early or on time, some late, some
paused for a supplement or extended, some still in progress (a few of them overdue), and a few
refused at intake, withdrawn or stopped.

This is **synthetic history, not a record of anything that happened**. It is written directly
with ``bulk_create`` (dossiers, papers, steps, pauses, extensions and timeline events) instead
of going through the per-dossier services in ``egov.dossiers.services``, which would write one
audit entry per transition and take minutes. The history is therefore *not audited per
dossier*: a single audit entry ``demo.history_generated`` records that it was generated, by
whom, how many dossiers and with which seed. Nothing here may be used on real data.

The history follows the same rules as the services, so the rest of the application cannot tell
it apart: codes ``<agency>-<YYMMDD>-<NNNN>`` consecutive per agency and day (the daily counters
are advanced so later receptions continue the sequence), legal due times from the procedure's
channel limit on the unit's working calendar (closed pauses skipped, restart-mode supplements
restarting the clock), steps instantiated from the internal process with their own due times,
timeliness classified like ``services._timeliness``, one active step and one open pause at most
per dossier, and the current step pointing at the active step of every open dossier.

It is deterministic for a seed: the only outside input is ``end`` (by default now, rounded down
to the hour), the moment at which the history is cut.
"""

from egov.synthetic.generate.codes import assign_codes
from egov.synthetic.generate.data import (
    ChannelInfo,
    DossierPlan,
    EventPlan,
    ExtensionPlan,
    PaperTemplate,
    PausePlan,
    StepPlan,
    StepTemplate,
    UnitInfo,
    VersionInfo,
)
from egov.synthetic.generate.inputs import load_inputs
from egov.synthetic.generate.plan import plan_history
from egov.synthetic.generate.write import generate_history

__all__ = [
    "ChannelInfo",
    "DossierPlan",
    "EventPlan",
    "ExtensionPlan",
    "PaperTemplate",
    "PausePlan",
    "StepPlan",
    "StepTemplate",
    "UnitInfo",
    "VersionInfo",
    "assign_codes",
    "generate_history",
    "load_inputs",
    "plan_history",
]
