"""The city-scale benchmark behind ``make bench``: each figure is measured beside its baseline in the same run."""
