"""The program's entry point: the one thing that must hold before anything is imported.

A Ctrl-C while Python imports typer, Rich and Pydantic (most of a run's time, see
docs/performance.md) would end in a traceback through the import machinery; here it ends
like a Ctrl-C anywhere else, with one line and exit code 130. So this module imports nothing
until it is inside the ``try``.
"""


def main() -> None:
    try:
        from imgplan.cli import main as run

        run()
    except KeyboardInterrupt:
        from imgplan.cli.terminal import interrupted

        interrupted()
