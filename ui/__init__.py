"""The web UI for case workers, realm admins and system admins (server)."""
