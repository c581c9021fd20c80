"""Reference data every service reads at start-up (configuration, not a runtime coupling)."""
