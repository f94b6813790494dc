"""The kata machinery: the catalogue, the solution regions, stub generation and the import hook that picks the tree under test."""
