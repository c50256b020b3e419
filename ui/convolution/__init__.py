"""The convolution lesson's parts: its controls and state (`controls`) and its views (`views`)."""
