"""dlkata: katas for 『ゼロから作るDeep Learning』, with the tooling that keeps them honest."""
