"""Use cases shared by the CLI and the web app; no HTTP or CLI types here."""
