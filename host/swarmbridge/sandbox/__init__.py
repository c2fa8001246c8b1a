"""Local files, safely: mounts the user names, a path jail no path can escape, staged changes that
are applied only after approval (originals kept for revert), and a limited Python runner."""
