"""crmd fuzz and fault script (issue 9): see scripts/fuzz.sh and fuzz/fuzz.py."""
