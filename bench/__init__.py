"""`make bench`: dealflow against a bare-Temporal floor, open deals at scale, list reads.

Run `python -m bench --help` for the flags; README.md ("Benchmarks") says what each part measures.
"""
