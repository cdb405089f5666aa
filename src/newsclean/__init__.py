"""newsclean: raw article dumps in, a clean, deduplicated, SQL-queryable corpus out."""

__version__ = "0.1.0"
