"""RL configuration."""
