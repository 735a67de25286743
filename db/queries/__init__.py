"""SQL, one module per aggregate. Query functions never commit."""
