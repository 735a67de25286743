"""The enx-redirect surface: app association files and redirects."""
