"""Orchestration of `auditor index` (see run.py): the request, the per-chain pass and its stages."""

from auditor.sync.request import AdhocEvent, IndexRequest, adhoc_source, validate
from auditor.sync.run import run_index
from auditor.sync.summary import ChainSummary, NoProgress, Progress

__all__ = ["AdhocEvent", "ChainSummary", "IndexRequest", "NoProgress", "Progress", "adhoc_source", "run_index",
           "validate"]
