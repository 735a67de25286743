"""Command line and wiring: settings -> pools -> apps and jobs."""
