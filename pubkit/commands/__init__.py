"""What each CLI command does, as plain functions the CLI (and tests) call."""
