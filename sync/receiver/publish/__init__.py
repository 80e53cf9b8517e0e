"""From the receiver to the participation platform, and back to the visitor.

``db``: the publication tables beside the receiver's store; ``status``: the visitor's public
status page ``/s/<token>``; ``ratelimit``: a per-client limit for public pages.
See ``docs/publication.md``.
"""
