"""Publication of a fiscal year: the figures a manager approves, frozen, and what changed since.

- figures: the year's public figures (pages and open-data files) built from the live records,
  as plain JSON-able data, and read back for the public pages;
- changes: what differs between two sets of figures, in words (「参加者数 1,820 → 1,810」).

Writing a publication is portal.services.publish_fiscal_year.
"""
