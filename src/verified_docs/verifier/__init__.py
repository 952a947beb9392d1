"""The verifier: run one block as a page runs it, and judge what it printed and drew.

No test framework here: the test run (`test_run/`) and the update mode call it.
"""
