"""myomap: body maps, trigger point atlas, differential, safety screening and outcomes for
neuromuscular therapy. It supports a qualified person's judgement; it does not diagnose."""

__version__ = "0.1.0"
