"""How a person's name is written: family name first, as Vietnamese names are ("Nguyễn Thị Lan", not Django's
`get_full_name()`, "Lan Nguyễn Thị")."""


def person_name(user) -> str:
    """The user's name, family name (last_name) first; the username when no name is recorded; "" for nobody."""
    if user is None:
        return ""
    return written_name(user.last_name, user.first_name, user.get_username())


def written_name(last_name: str, first_name: str, username: str) -> str:
    """`person_name` from the columns of a user read without the model (a raw query)."""
    return " ".join(part for part in (last_name, first_name) if part) or username
