"""Tests of the data catalogs kept in resources/ (checked with the standard library only)."""
