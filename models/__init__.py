"""The domain of encv: rules and use cases, with no HTTP and no Dagster."""
