"""The console's pages, a module per group, each exporting its ``routes``."""
