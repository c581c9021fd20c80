"""`make simulate`: the Slagelse year (issue 8) through the services' application layer."""
