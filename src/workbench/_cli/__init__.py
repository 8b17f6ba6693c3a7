"""The commands behind :mod:`workbench.cli`, one module per command group.

Each group module holds its commands (``_cmd_*``: parsed arguments and an output stream in, an
exit code out) and ``add_commands``, which adds them and their options to the parser;
:mod:`workbench._cli.common` holds what the groups share.
"""
