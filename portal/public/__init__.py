"""The public site: yearly summaries, published cases, collaborations and the open-data files."""
