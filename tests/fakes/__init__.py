"""Small fakes shared by the tests (one seam each)."""
