"""SQL of statistics: the daily counter upserts and the read side of the reports."""
