"""The token and identity API's bodies."""

from pydantic import Field

from webapp.schemas import Body, Out, Timestamp


class TokenCreate(Body):
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=1024)
    name: str = Field("API token", min_length=1, max_length=100, description="A label for the list")


class TokenCreated(Out):
    token: str = Field(description="The secret; shown this once and stored only hashed")


class TokenOut(Out):
    """What its owner may see again: never the secret."""

    id: int
    name: str
    created_at: Timestamp
    last_used_at: Timestamp | None


class TokenList(Out):
    tokens: list[TokenOut]


class SchoolRef(Out):
    id: int
    name: str


class MeOut(Out):
    id: int
    email: str
    name: str
    role: str
    school: SchoolRef
