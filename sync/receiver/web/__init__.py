"""The receiver's staff web app (issue 15): sign-in with named accounts, overview, browse, one item
with its drawing's replay, moderation with an audit trail, terminals, export. See ``pages``."""
