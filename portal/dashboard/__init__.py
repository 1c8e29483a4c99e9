"""The staff dashboard of a fiscal year, its table downloads, data-quality panel and the committee report."""
