"""The `egov` command's sub-commands, one module per group; `egov/cli.py` assembles them.

Project level, like `egov.site`: it may use every app, and no app imports it. Django and the apps
are imported inside the command functions, after `setup_django()`: `egov --help` and the Django
management commands must not pay for (or fail on) loading every app first.
"""
