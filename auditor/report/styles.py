"""Each report column's label, number format, wrapping and length: one table the Markdown, HTML and CSV
writers share (auditor/report/formatting.py applies it)."""

from __future__ import annotations

from dataclasses import dataclass

# Report cells are cut to this many characters (the CSV keeps the full value): an on-chain string can be 100,000
# characters long. The longest of our own (a GPU's sources, a stated assumption) is under 500.
MAX_CELL_CHARS = 500
MAX_RAW_CHARS = 80   # strings exactly as posted on-chain, which nothing of ours writes


@dataclass(frozen=True)
class Style:
    """A column's display label and number format."""

    label: str
    # text | code | id | int | block | hours | delta | pct | usd | amount | factor | bool;
    # `id` is code kept on one line (addresses, hashes, entity ids); `code` may wrap anywhere (URLs, raw strings)
    kind: str = "text"
    wrap: bool = True  # False for dates, times and week labels, which break badly at their hyphens
    max_chars: int = MAX_CELL_CHARS   # in report.md and report.html; the CSV has it all


STYLES: dict[str, Style] = {
    "rank": Style("#", "int"),
    "week": Style("Week", wrap=False),
    "week_start": Style("Week starts", wrap=False),
    "marketplace": Style("Marketplace"),
    "marketplaces": Style("Marketplaces"),
    "chain_id": Style("Chain id", "block"),
    "chain": Style("Chain"),
    "rentals": Style("Rentals", "int"),
    "buyers": Style("Buyers", "int"),
    "entities": Style("Entities", "int"),
    "h100e_hours": Style("H100e-hours", "hours"),
    "h100e_hours_low": Style("H100e-hours (low)", "hours"),
    "token": Style("Token"),
    "with_amount": Style("With amount", "int"),
    "priced": Style("Priced in USD", "int"),
    "price_sources": Style("Price sources"),
    "min_price_usd": Style("Lowest price (USD)", "usd"),
    "max_price_usd": Style("Highest price (USD)", "usd"),
    "h100e_hours_high": Style("H100e-hours (high)", "hours"),
    "h100e_hours_no_kyc_low": Style("H100e-hours without KYC (low)", "hours"),
    "h100e_hours_no_kyc_high": Style("H100e-hours without KYC (high)", "hours"),
    "rentals_without_estimate": Style("No H100e estimate", "int"),
    "payment_usd": Style("Paid (USD, priced)", "usd"),
    "open_leases": Style("Open leases", "int"),
    "unknown_gpu": Style("Unknown GPU", "int"),
    "not_gpu_work": Style("Transcoding or CPU task", "int"),
    "no_usd_price": Style("No USD price", "int"),
    "payment_token": Style("Token", "id"),
    "payment_amount": Style("Amount (token units)", "amount"),
    "rentals_without_usd": Style("No USD price", "int"),
    "gpu": Style("GPU"),
    "gpus": Style("GPUs", "int"),
    "gpu_models": Style("GPU models"),
    "vendor": Style("Vendor"),
    "market_class": Style("Market class"),
    "eccn_oct2023": Style("ECCN (Oct 2023)"),
    "h100e_per_gpu": Style("H100e per GPU", "factor"),
    "gpu_hours": Style("GPU-hours", "hours"),
    "cluster_id": Style("Entity", "id"),
    "addresses": Style("Addresses", "int"),
    "buyer_addresses": Style("Wallets", "int"),
    "funder_addresses": Style("Funders", "int"),
    "active_buyers": Style("Active buyers", "int"),
    "evidence_rows": Style("Evidence", "int"),
    "heuristics": Style("Evidence"),
    "first_rental": Style("First rental (UTC)", wrap=False),
    "head_block": Style("Head block", "block"),
    "safe_block": Style("Safe block", "block"),
    "head_time": Style("Head time (UTC)", wrap=False),
    "last_rental_time": Style("Newest rental (UTC)", wrap=False),
    "source": Style("Source", "code"),
    "kind": Style("Kind"),
    "start_block": Style("Start block", "block"),
    "indexed_intervals": Style("Indexed blocks"),
    "indexed_blocks": Style("Blocks indexed", "int"),
    "gap_blocks": Style("Gap blocks", "int"),
    "data": Style("Data"),
    "sources": Style("Sources", "int"),
    "sources_not_indexed": Style("Not indexed yet", "int"),
    "most_blocks_behind_safe": Style("Most behind safe", "int"),
    "blocks_behind_safe": Style("Behind safe", "int"),
    "gpu_model_raw": Style("GPU string as posted", "code", max_chars=MAX_RAW_CHARS),
    "block_time": Style("Block time (UTC)", wrap=False),
    "tx_hash": Style("Transaction", "id"),
    "buyer": Style("Buyer", "id"),
    "reason": Style("Flagged for", "code"),
    "flagged_value": Style("Value", "amount"),
    "limit_value": Style("Limit", "amount"),
    "withheld_h100e_hours": Style("H100e-hours withheld", "hours"),
    "withheld_payment_usd": Style("USD withheld", "usd"),
    "open_this_week": Style("Opened this week", "int"),
    "open_until_week_end": Style("Open, all weeks so far", "int"),
    "oldest_start": Style("Oldest start (UTC)", wrap=False),
    "key": Style("Setting", "id"),
    "value": Style("Value"),
    "method": Style("Method"),
    "dense_bf16_tflops": Style("Dense BF16 TFLOPS", "hours"),
    "h100e_bf16": Style("H100e (BF16)", "factor"),
    "h100e": Style("H100e factor", "factor"),
    "h100e_basis": Style("Basis"),
    "h100e_tpp": Style("H100e (TPP)", "factor"),
    "h100e_mem_bw": Style("H100e (mem. BW)", "factor"),
    "h100e_hours_no_kyc": Style("H100e-hours without KYC", "hours"),
    "prev_h100e_hours_no_kyc": Style("Previous week", "hours"),
    "change_h100e_hours_no_kyc": Style("Change", "delta"),
    "change_pct_h100e_hours_no_kyc": Style("Change %", "pct"),
    "prev_rentals": Style("Previous week", "int"),
    "change_rentals": Style("Change", "delta"),
    "change_pct_rentals": Style("Change %", "pct"),
    "prev_buyers": Style("Previous week", "int"),
    "change_buyers": Style("Change", "delta"),
    "change_pct_buyers": Style("Change %", "pct"),
    "prev_entities": Style("Previous week", "int"),
    "change_entities": Style("Change", "delta"),
    "change_pct_entities": Style("Change %", "pct"),
    "pct_rentals_without_estimate": Style("Share without estimate", "share"),
    "rentals_unknown_gpu": Style("Unknown GPU", "int"),
    "rentals_kyc_other": Style("Rentals with KYC", "int"),
    "h100e_hours_kyc_other": Style("H100e-hours with KYC", "hours"),
    "unclustered_buyers": Style("Unclustered buyers", "int"),
    "entity_weekly_rentals": Style("Rentals per entity_weekly", "int"),
    "entity_weekly_h100e_hours": Style("H100e-hours per entity_weekly", "hours"),
    "consistent": Style("Consistent", "bool"),
    "total_h100e_hours": Style("H100e-hours, all marketplaces", "hours"),
    "total_rentals": Style("Rentals, all marketplaces", "int"),
    "rentals_without_amount": Style("No payment amount", "int"),
    "safe_time": Style("Indexed to (UTC)", wrap=False),
    "hours_behind_head": Style("Hours behind head", "hours"),
    "covers_week": Style("Covers the week", "bool"),
    "data_from": Style("Data from (UTC)", wrap=False),
    "data_to": Style("Data to (UTC)", wrap=False),
    "covered_pct": Style("Share of the week", "share"),
    "blocks_behind_head": Style("Behind head", "int"),
    "evidence_strength": Style("Evidence strength"),
    "funding_sources": Style("Funded via"),
    "funding_origins": Style("Funding origin"),
    "utc_offset": Style("UTC offset", "int"),
    "funding_source": Style("First funded via"),
    "funders": Style("Funders", "int"),
    "address": Style("Address", "id"),
    "role": Style("Role"),
    "funder": Style("First funder", "id"),
    "funding_status": Style("Funding status"),
    "funding_chain_id": Style("Funding chain id", "block"),
    "funding_value_eth": Style("First funding (native coin)", "amount"),
    "funding_time": Style("First funded (UTC)", wrap=False),
    "funding_tx_hash": Style("Funding transaction", "id"),
    "is_new": Style("New", "bool"),
    "clustered": Style("Clustered", "bool"),
    "h100e_range": Style("Range", wrap=False),
    "service_reason": Style("Why a service"),
    "buyers_funded": Style("Buyers it first funded", "int"),
    "first_funded": Style("Addresses it first funded", "int"),
    "other_recipients": Style("Pays others", "int"),
    "independent_senders": Style("Paid by others", "int"),
    "forwarders_in": Style("Deposit-like senders", "int"),
    "nonce": Style("Transactions", "int"),
    "prev_h100e_hours": Style("Previous week", "hours"),
    "change_pct_h100e_hours": Style("vs last week", "pct"),
    "share_pct": Style("Share", "share"),
    "change_pct": Style("Change %", "pct"),
    "average_h100e_hours": Style("Average", "hours"),
    "aspect": Style("Aspect"),
    "label": Style("Label"),
}


def style(column: str) -> Style:
    """A column's style; unlisted columns get a label made from their name."""
    return STYLES.get(column, Style(column.replace("_", " ").capitalize()))


def label(column: str) -> str:
    return style(column).label
