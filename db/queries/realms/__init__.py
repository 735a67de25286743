"""SQL on realms, their API keys and mobile apps."""
