from ninja import Schema


class OrganisationOut(Schema):
    id: int
    kind: str
    name: str
    siret: str
    rna: str
    city: str
    postcode: str
    department: str
    status: str


class WorkshopOut(Schema):
    """A workshop as another organisation's API shows it (the lot's workshop, the catalogue device's)."""

    id: int
    name: str
    department: str


class MeOut(Schema):
    id: int
    email: str | None
    first_name: str
    last_name: str
    roles: list[str]
    organisations: list[OrganisationOut]
