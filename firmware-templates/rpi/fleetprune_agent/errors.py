"""The agent's one error class: a code from docs/protocol.md (or an agent code) and a message."""

PROTOCOL_CODES = (
    "INVALID_TOPIC",
    "INVALID_MESSAGE",
    "TOO_LARGE",
    "UNSUPPORTED_VERSION",
    "CORRUPT_CHUNK",
    "INTEGRITY_FAILED",
    "INVALID_KEY",
)


class ProtocolError(Exception):
    """A received payload broke protocol v1; `code` is one of PROTOCOL_CODES."""

    def __init__(self, code, message):
        super().__init__("Protocol: " + message)
        self.code = code


class AgentError(Exception):
    """A local failure (config, slot file, runtime) with a code and a message saying what to do."""

    def __init__(self, code, message):
        super().__init__("Agent: " + message)
        self.code = code
