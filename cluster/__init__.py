"""The production layout on one machine (up.sh, down.sh) and the drills that prove it (drills.py, tests/cluster/)."""
