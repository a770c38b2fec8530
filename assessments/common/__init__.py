"""Code the features of the app share, that belongs to no single feature."""
