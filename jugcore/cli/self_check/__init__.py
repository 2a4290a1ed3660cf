"""`jug test-jug`'s checks: which jugdirs (plan), the store contract on each
(contract, contract_suite), a small jugfile end to end on each (jugfile_run)."""
