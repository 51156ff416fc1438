"""Prices: genai-prices, the sourced `catalog.toml` and a user's --prices FILE -> dated rates, training
and hosting terms, and the price table a replay joins to its calls. Prices no call itself."""
