"""Wallet schema revisions."""
