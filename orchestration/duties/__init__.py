"""One module per internal duty: its ops or assets, job and schedule."""
