"""gpu-rental-auditor: index decentralized GPU marketplaces, cluster their buyers, estimate H100-equivalent hours."""

__version__ = "0.1.0"
