"""Use cases both front-ends call: the window and the command line share every rule here."""
