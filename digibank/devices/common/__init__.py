"""Pieces the device bank's features share on screens and in the API."""
