"""The demo a newcomer starts with: it seeds every domain, so it sits above them (nothing imports it)."""
