"""The resource of each sheet kind, for the admin's import and the `import_attendance` command."""

from trainings.importing.participants import ParticipantsMultiResource, ParticipantsResource
from trainings.importing.sessions import SessionsResource
from trainings.models import SheetKind

RESOURCES = {
    SheetKind.PARTICIPANTS: ParticipantsResource,
    SheetKind.PARTICIPANTS_MULTI: ParticipantsMultiResource,
    SheetKind.SESSIONS: SessionsResource,
}


def resource_for(kind, *, session=None, use_roster_count=False):
    """Return the resource instance importing sheets of `kind` (for one session when given).

    `use_roster_count`: a roster with fewer rows than a session's typed headcount replaces it
    (otherwise the roster is imported, marked partial, and the headcount stays: see
    trainings.importing.counts).
    """
    return RESOURCES[SheetKind(kind)](session=session, use_roster_count=use_roster_count)
