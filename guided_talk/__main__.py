"""Allow ``python -m guided_talk``."""

from guided_talk.cli.main import run

if __name__ == "__main__":
    run()
