"""Admin helpers every app's admin uses: year filters, the estimated-count paginator, safe widgets, links."""
