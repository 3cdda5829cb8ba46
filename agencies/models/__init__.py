from .numbering import DocumentSequence, DocumentType, RegisteredDocument, RegisterStatus
from .organisations import (
    AGENCY_ROLES,
    NATIONAL_ROLES,
    PROVINCE_ROLES,
    SHORT_CODE_TAKEN,
    Agency,
    AgencyKind,
    AgencyObligation,
    AgencySuccession,
    Commune,
    Membership,
    ObligationLevel,
    ObligationYear,
    ObligationYearState,
    Province,
    ProvinceSettings,
    Role,
    SuccessionKind,
)

__all__ = [
    "AGENCY_ROLES", "NATIONAL_ROLES", "PROVINCE_ROLES", "SHORT_CODE_TAKEN", "Agency", "AgencyKind", "AgencyObligation",
    "AgencySuccession", "Commune", "DocumentSequence", "DocumentType", "Membership", "ObligationLevel",
    "ObligationYear", "ObligationYearState",
    "Province", "ProvinceSettings", "RegisteredDocument", "RegisterStatus", "Role", "SuccessionKind",
]
