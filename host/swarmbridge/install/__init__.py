"""Installing the native-messaging host into real browsers: where each browser looks (per OS),
the manifest and launcher we write there, the Windows registry behind a small seam, and the
checks ``swarmbridge doctor`` runs."""

HOST_NAME = "dev.swarmbridge.host"
#: The add-on id Firefox passes to the host (``browser_specific_settings.gecko.id`` of the extension).
FIREFOX_EXTENSION_ID = "webbridge@swarmbridge.dev"

__all__ = ["FIREFOX_EXTENSION_ID", "HOST_NAME"]
