"""Async JSON-RPC over aiohttp: batching, retries with backoff, provider error classification."""
