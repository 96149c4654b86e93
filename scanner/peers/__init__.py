"""Doors of one event that tell each other their passages over the venue's network, when the
companion API cannot be reached (docs/sync.md, "Doors next to each other").

`trust` proves a door is one of the event's and seals what travels; `protocol` is what travels;
`channel` is one authenticated connection; `discovery` finds doors by multicast DNS (and takes
addresses given by hand); `service` keeps the links and applies what peers say through the
store's one path for other doors' passages.
"""
