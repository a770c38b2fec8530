"""A round: start, close, reopen, step page, results, dialogue, trend, benchmark, portfolio."""
