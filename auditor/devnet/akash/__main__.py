"""`python -m auditor.devnet.akash --port N --seed S`: serve the endpoint on 127.0.0.1 until Ctrl-C."""

from __future__ import annotations

import argparse
from pathlib import Path

from aiohttp import web

from auditor.devnet.akash.api import AkashApi
from auditor.devnet.akash.plan import plan_market
from auditor.devnet.akash.server import HOST, make_app
from auditor.devnet.akash.truth import write_truth


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m auditor.devnet.akash", description=__doc__)
    parser.add_argument("--port", type=int, default=1317, help="TCP port on 127.0.0.1 (default 1317, the LCD's)")
    parser.add_argument("--seed", type=int, default=1, help="economy seed (default 1)")
    parser.add_argument("--truth", type=Path, help="also write the ground truth JSON here")
    args = parser.parse_args(argv)
    api = AkashApi(plan_market(args.seed))
    if args.truth:
        write_truth(api, args.truth)
    print(f"Akash REST endpoint (seed {args.seed}, heights {api.market.genesis_height}..{api.latest}) "
          f"on http://{HOST}:{args.port}; Ctrl-C stops it", flush=True)
    web.run_app(make_app(api), host=HOST, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
