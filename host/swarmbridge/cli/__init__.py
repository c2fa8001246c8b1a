"""The ``swarmbridge`` command line: a client of the daemon over its local socket."""
