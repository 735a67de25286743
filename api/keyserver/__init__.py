"""A local stand-in for the exposure-notifications key server (not for production)."""
