"""Core pieces: configs, reward-model sources, backends and the backend factory."""
