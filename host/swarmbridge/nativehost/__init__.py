"""nativehost."""
