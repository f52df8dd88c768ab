"""Run reports as people read them: a terminal's text while a run goes (``view``), a table, and
static HTML pages (``html``, ``pages``), from the reports the agent-outputs server keeps
(``source``)."""
