"""The wire between feedpub's processes, written once.

- ``run``: FeedPublisherWorkflow's name, request, query, updates and report;
- ``tools``: the MCP servers' tool names and their results;
- ``errors``: how a tool's failure is written by a server and read by a client;
- ``schedules``: schedule and run ids.

It imports nothing else of feedpub's, so every process can speak it.
"""
