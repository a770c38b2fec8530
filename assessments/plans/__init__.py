"""The action plan: actions, the plan page, its timeline and exports."""
