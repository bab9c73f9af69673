"""Allows ``python -m myomap`` so the CLI works without the console script on PATH."""

from myomap.cli import main

if __name__ == "__main__":
    main()
