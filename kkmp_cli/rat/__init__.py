"""RAT: the annual members' meeting and its book."""
