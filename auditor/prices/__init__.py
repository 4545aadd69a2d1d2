"""Token prices in USD: Chainlink feeds indexed on-chain, and price files users import."""
