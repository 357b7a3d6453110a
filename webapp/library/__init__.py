"""The library: a school year of lessons, listed, filtered, paged and searched."""
