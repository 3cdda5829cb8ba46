"""How a person's name is written: family name first, as Vietnamese names are ("Nguyễn Thị Lan", not Django's
`get_full_name()`, "Lan Nguyễn Thị")."""


def person_name(user) -> str:
    """The user's name, family name (last_name) first; the username when no name is recorded; "" for nobody."""
    if user is None:
        return ""
    return " ".join(part for part in (user.last_name, user.first_name) if part) or user.get_username()
