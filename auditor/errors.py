"""The exception tree. The CLI turns any AuditorError into a one-line `error: ...` message.

Each error says whether retrying can help (`transient`), so callers decide retries by type, never by message.
"""

from __future__ import annotations


class AuditorError(Exception):
    """Root of every error the auditor raises on purpose."""

    transient = False


class InputError(AuditorError, ValueError):
    """The user gave something unusable: a flag, a signature, an address, a week."""


class RpcError(AuditorError, ConnectionError):
    """An RPC endpoint failed or answered something unusable. The message never holds the full URL."""


class TransientRpcError(RpcError):
    """Worth retrying: timeouts, resets, 5xx, rate limits, truncated bodies."""

    transient = True


class InvalidResponseError(TransientRpcError):
    """An answer that contradicts the question (a log outside the range, of another contract or event):
    never stored; asked again, possibly of another endpoint."""


class RateLimitedError(TransientRpcError):
    """The provider throttles: back off (honouring Retry-After) and send fewer requests at once."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RpcResponseError(RpcError):
    """The node answered with a JSON-RPC error object."""

    def __init__(self, message: str, code: int | None = None, method: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.method = method


class TooManyResultsError(RpcResponseError):
    """The provider refused a log query as too large; the range must shrink (to `suggested` blocks if given)."""

    def __init__(self, message: str, code: int | None = None, method: str = "", suggested: int | None = None) -> None:
        super().__init__(message, code, method)
        self.suggested = suggested


class ResponseTooLargeError(TooManyResultsError):
    """A body larger than the client reads (rpc.client.MAX_RESPONSE_BYTES, decoded): for eth_getLogs a result
    cap like a provider's (the range shrinks), for any other call terminal."""


class ReorgError(TransientRpcError):
    """The node's chain no longer matches blocks already stored: roll back to the fork point and re-index."""


class StoreError(AuditorError, RuntimeError):
    """The database cannot be opened, is locked by another writer, or is not an auditor database."""


class DevnetError(AuditorError, RuntimeError):
    """The local anvil devnet could not be started or driven."""


class Interrupted(AuditorError):
    """The run was stopped by SIGINT or SIGTERM after ending its transaction; exits 128 + the signal number."""

    def __init__(self, message: str, signum: int) -> None:
        super().__init__(message)
        self.exit_code = 128 + signum
