"""The exception readers raise for bad input; the loader turns it into an InputError row."""


class BadInput(Exception):
    """Input that cannot be read as an article (empty, binary, undecodable, truncated, too large, malformed)."""

    def __init__(self, kind: str, message: str, record: int | None = None):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.record = record
