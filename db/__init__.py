"""PostgreSQL and Redis access for encv. Imports nothing else of the project."""
