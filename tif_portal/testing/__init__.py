PASSWORD = "Lösen-för-test-2026"
