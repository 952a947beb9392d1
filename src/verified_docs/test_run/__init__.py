"""The test run: pytest and Sybil around the verifier, the records a run writes, and
the programs that run the pages again (the stability and releases runs).
"""
