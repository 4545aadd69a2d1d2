"""What `auditor analyze` can be asked: the options, their limits and defaults, and the H100-hour price."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from auditor import defaults
from auditor.errors import InputError
from auditor.prices.imports import MAX_USD_PRICE
from auditor.resources import package_data

DEFAULT_MAX_FUNDER_FANOUT = defaults.MAX_FUNDER_FANOUT
DEFAULT_MAX_ENTITY_SIZE = defaults.MAX_ENTITY_SIZE  # Arbitrum's and LayerZero's sybil reviews: clusters above 20-200
MAX_SPENDER_OWNERS = 3          # a spender approved by more owners is a phisher or a relayer, not a self-approval
# A deposit-like address serves one customer, however many wallets it has: an entity's size cap bounds its users
# (a payment processor is told apart by paying several destinations, not by its number of payers).
MAX_DEPOSIT_USERS = DEFAULT_MAX_ENTITY_SIZE
DEPOSIT_WINDOW_HOURS = 30 * 24  # a deposit address forwards within a month (Tutela: 3,200 blocks, ~12 h, for one
                                # receipt; exchanges that sweep once a balance is worth the gas wait weeks for several)
FORWARD_SHARE = 0.9             # ... and passes on almost all it received: a native sweep keeps back only its gas
SETTLE_SHARE = 0.5              # a collector passing most of its buyers' payments on to several addresses it did not
                                # fund settles for others (a processor, a merchant gateway); a cold wallet keeps them
MIN_SERVICE_DEGREE = 20         # paying or being paid by this many unrelated addresses is a service's life, not a
                                # wallet's (Victor 2020's deposit detection; Tutela's exchange heuristics)
BUSY_TX_RATIO = 2               # a hub whose transactions outnumber its first fundings 2:1 mostly does other business
# A funder of a fleet funds it in sessions; a service funds whoever asks, when they ask. Of a funder's first
# fundings (at least MIN_PACED_FUNDINGS), the share with no other within SESSION_MINUTES is compared with the share
# that as many fundings spread at random over the same span would leave alone; at least 1/SESSION_RATIO of that,
# it is paced like independent customers (a relayer, a faucet, a withdrawal desk).
SESSION_MINUTES = 60
SESSION_RATIO = 2
MIN_PACED_FUNDINGS = 10
FRESH_DAYS = 7                  # a transfer within a week of the receiver's first funding is to a fresh EOA
CLUSTERING_MODES = ("strict", "loose")
DEFAULT_MAX_PRICE_AGE_HOURS = defaults.MAX_PRICE_AGE_HOURS
# Implausible rentals are kept but flagged and left out of every H100e and USD sum (queries/steps/rental_flags.sql).
# 4,096 GPUs is a large training cluster rented whole; a decentralized marketplace's lease of more is a typo or
# an attack (one order for 2e9 GPUs made 12.9 billion H100e-hours of a week).
DEFAULT_MAX_GPUS_PER_RENTAL = defaults.MAX_GPUS_PER_RENTAL
MAX_GPUS_PER_RENTAL_LIMIT = 2**31 - 1   # the rentals table's INTEGER gpu_count
MAX_RENTAL_DAYS = 366                   # no marketplace indexed sells a lease of more than a year
# An H100-hour has rented for $1-$10 (auditor/data/h100_hour_prices.csv); a price near 0 would turn any payment
# into infinite H100e-hours.
H100_HOUR_USD_RANGE = (0.01, 1000.0)


@dataclass(frozen=True)
class H100HourPrice:
    """The USD price of one H100-hour that turns payments into H100e-hours: low, central and high."""

    low: float
    central: float
    high: float
    source: str


def default_h100_hour_price() -> H100HourPrice:
    """The shipped assumption, with its sources (package data h100_hour_prices.csv)."""
    with package_data("h100_hour_prices.csv").open(newline="") as fh:
        rows = {r["estimate"]: r for r in csv.DictReader(fh)}
    return H100HourPrice(float(rows["low"]["usd_per_h100_hour"]), float(rows["central"]["usd_per_h100_hour"]),
                         float(rows["high"]["usd_per_h100_hour"]),
                         " | ".join(f"{k}: {rows[k]['source']}" for k in ("low", "central", "high")))


def parse_h100_hour_price(text: str) -> H100HourPrice:
    """`LOW,CENTRAL,HIGH` in USD per H100-hour, e.g. `1.5,2,3.2`."""
    try:
        low, central, high = (float(x) for x in text.split(","))
    except ValueError:
        raise InputError(f"--h100-hour-usd wants LOW,CENTRAL,HIGH in USD, e.g. 1.5,2,3.2 (got {text!r})") from None
    least, most = H100_HOUR_USD_RANGE
    if not least <= low <= central <= high <= most:
        raise InputError(f"--h100-hour-usd needs {least} <= LOW <= CENTRAL <= HIGH <= {most:g}")
    return H100HourPrice(low, central, high, "set with --h100-hour-usd")


@dataclass(frozen=True)
class AnalyzeOptions:
    max_funder_fanout: int | None = DEFAULT_MAX_FUNDER_FANOUT
    clustering: str = defaults.CLUSTERING
    max_entity_size: int = DEFAULT_MAX_ENTITY_SIZE
    h100_hour_price: H100HourPrice | None = None   # None: the shipped assumption
    max_price_age_hours: int = DEFAULT_MAX_PRICE_AGE_HOURS
    max_gpus_per_rental: int = DEFAULT_MAX_GPUS_PER_RENTAL


def check_options(options: AnalyzeOptions) -> None:
    """Options out of range are an input error, before anything runs."""
    if options.max_funder_fanout is not None and options.max_funder_fanout < 1:
        raise InputError("--max-funder-fanout must be at least 1")
    if options.max_price_age_hours < 1:
        raise InputError("--max-price-age must be at least 1 hour")
    if options.clustering not in CLUSTERING_MODES:
        raise InputError(f"--clustering must be one of {', '.join(CLUSTERING_MODES)} (got {options.clustering!r})")
    if options.max_entity_size < 2:
        raise InputError("--max-entity-size must be at least 2")
    if not 1 <= options.max_gpus_per_rental <= MAX_GPUS_PER_RENTAL_LIMIT:
        raise InputError(f"--max-gpus-per-rental must be between 1 and {MAX_GPUS_PER_RENTAL_LIMIT}")


def parameters(options: AnalyzeOptions) -> dict[str, object]:
    """The analysis parameters the options give, as the SQL reads them and analysis_runs records them."""
    check_options(options)
    price = options.h100_hour_price or default_h100_hour_price()
    return {
        "max_funder_fanout": options.max_funder_fanout,
        "clustering": options.clustering,
        "max_entity_size": options.max_entity_size,
        "max_spender_owners": MAX_SPENDER_OWNERS,
        "max_deposit_users": MAX_DEPOSIT_USERS,
        "deposit_window_hours": DEPOSIT_WINDOW_HOURS,
        "forward_share": FORWARD_SHARE,
        "settle_share": SETTLE_SHARE,
        "session_minutes": SESSION_MINUTES,
        "session_ratio": SESSION_RATIO,
        "min_paced_fundings": MIN_PACED_FUNDINGS,
        "min_service_degree": MIN_SERVICE_DEGREE,
        "busy_tx_ratio": BUSY_TX_RATIO,
        "fresh_days": FRESH_DAYS,
        "max_price_age_hours": options.max_price_age_hours,
        "max_gpus_per_rental": options.max_gpus_per_rental,
        "max_rental_days": MAX_RENTAL_DAYS,
        "max_usd_price": MAX_USD_PRICE,
        "h100_usd_low": price.low,
        "h100_usd_central": price.central,
        "h100_usd_high": price.high,
        "h100_usd_source": price.source,
    }
