"""Stats: calls in the store -> per-workload token distributions, usage and the static prompt prefix
a fine-tune would remove (polars). Reads the store; writes only workload renames."""
