"""Loading and validating the bundled clinical data; the only reader of ``myomap/data``."""
