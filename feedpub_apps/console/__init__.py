"""The console: the web pages where a brand's team sees, approves and fixes its posts."""
