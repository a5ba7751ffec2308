"""Demo accounts: one city admin, one officer per district-level unit, two workers per
station, two judges. All share one password, which works only in demo mode (DEMO_MODE)."""

from django.contrib.auth.hashers import make_password

from shegong.orgs.models import Unit

from .models import User

DEMO_PASSWORD = "shegong-demo-2023"  # noqa: S105 — printed in the README on purpose


def seed(demo: dict) -> None:
    # One hash for every demo account: hashing a hundred passwords would take half a minute.
    password_hash = make_password(DEMO_PASSWORD)
    units = list(Unit.objects.all())
    city = next(u for u in units if u.level == Unit.Level.CITY)
    accounts: list[tuple[str, str, Unit | None, str]] = [
        ("city.admin", User.Role.CITY_ADMIN, city, "市局管理员"),
    ]
    for unit in units:
        if unit.level == Unit.Level.DISTRICT:
            accounts.append((f"district.{unit.code}", User.Role.DISTRICT_OFFICER, unit, "区局专干"))
        elif unit.level == Unit.Level.STATION:
            for n in (1, 2):
                accounts.append(
                    (f"station.{unit.code}.{n}", User.Role.STATION_WORKER, unit, f"社工{n}号")
                )
    accounts += [
        ("judge.1", User.Role.JUDGE, city, "评委一"),
        ("judge.2", User.Role.JUDGE, city, "评委二"),
    ]
    for username, role, unit, title in accounts:
        display_name = f"{unit.area_name if unit else ''}{title}"
        User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "unit": unit,
                "display_name": display_name,
                "password": password_hash,
                "is_demo": True,
                "is_active": True,
            },
        )
    demo["users"] = {username: User.objects.get(username=username) for username, *_ in accounts}
    report = demo.setdefault("report", [])
    report.append(
        f"演示账号（{len(accounts)} 个），密码均为 {DEMO_PASSWORD}（仅演示模式 DEMO_MODE 下可用）："
    )
    report.append("  市局管理员   city.admin")
    for username, role, unit, _ in accounts:
        if role == User.Role.DISTRICT_OFFICER:
            report.append(f"  区级单位     {username:<22} {unit.name}")
    report.append(
        "  社工站       station.<社工站代码>.1 或 .2，例如 station.460105001.1（秀英街道社工站）"
    )
    report.append("  评委         judge.1, judge.2")
