"""SHU: the surplus of the year and its distribution to members."""
