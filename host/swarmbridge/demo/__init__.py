"""The bundled demo/test site and the demo runner."""
