"""`jug test-jug`'s checks: which jugdirs (plan), the store contract on each
(contract; pytest-jug's self_check_suite), a small jugfile end to end on each (jugfile_run)."""
