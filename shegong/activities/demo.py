def seed(demo: dict) -> None:
    return None
