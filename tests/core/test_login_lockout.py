"""Log-in lock-out (issue 6 §3): after a few failures a user name and an address are locked out
for some minutes, the login page says in Russian until when, and every failure is journalled."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.urls import reverse

from core.choices import AuditAction
from core.models import AuditEntry
from core.testing.factories import PASSWORD

LOCKED = "Слишком много неудачных попыток входа."
MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
#: 14:20 in Moscow, a time the messages below can name.
NOON = datetime.datetime(2026, 3, 10, 14, 20, 0, tzinfo=MOSCOW)


def _login(client, username, password, address="10.0.0.1", url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def _logged_in(client) -> bool:
    return SESSION_KEY in client.session


@pytest.fixture(autouse=True)
def _limits(settings):
    # The defaults of README's settings table.
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_it_refuses_the_right_password_after_thirty_wrong_ones(client, world):
    username = world.curator_a.username
    for _ in range(30):
        assert not _logged_in(client)
        _login(client, username, "wrong-password")

    response = _login(client, username, PASSWORD)

    assert not _logged_in(client)
    assert response.status_code == 429
    body = response.content.decode()
    assert LOCKED in body
    assert 'name="password"' in body  # the login page itself, not a bare error page
    assert "Forbidden" not in body and "Account locked" not in body


def test_it_lets_four_typos_pass_and_locks_at_the_fifth(client, world):
    username = world.curator_a.username
    for _ in range(4):
        response = _login(client, username, "wrong-password")
        assert response.status_code == 200
        assert "Неверное имя пользователя или пароль" in response.content.decode()
    response = _login(client, username, "wrong-password")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_it_says_in_russian_when_to_try_again(client, world):
    with time_machine.travel(NOON, tick=False):
        for _ in range(5):
            response = _login(client, world.curator_a.username, "wrong-password")

    assert "Попробуйте снова через 15 минут, после 14:35." in response.content.decode()


def test_it_counts_the_minutes_that_are_left(client, world):
    with time_machine.travel(NOON, tick=False):
        for _ in range(5):
            _login(client, world.curator_a.username, "wrong-password")
    with time_machine.travel(NOON + datetime.timedelta(minutes=13, seconds=30), tick=False):
        response = _login(client, world.curator_a.username, PASSWORD)

    assert "Попробуйте снова через 2 минуты, после 14:35." in response.content.decode()
    assert not _logged_in(client)


def test_it_lets_the_user_in_once_the_lock_out_has_expired(client, world):
    with time_machine.travel(NOON, tick=False):
        for _ in range(5):
            _login(client, world.curator_a.username, "wrong-password")
    with time_machine.travel(NOON + datetime.timedelta(minutes=14, seconds=59), tick=False):
        assert _login(client, world.curator_a.username, PASSWORD).status_code == 429
    with time_machine.travel(NOON + datetime.timedelta(minutes=15, seconds=1), tick=False):
        response = _login(client, world.curator_a.username, PASSWORD)
        assert _logged_in(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_it_does_not_prolong_the_lock_out_for_attempts_made_during_it(client, world):
    with time_machine.travel(NOON, tick=False):
        for _ in range(5):
            _login(client, world.curator_a.username, "wrong-password")
    with time_machine.travel(NOON + datetime.timedelta(minutes=10), tick=False):
        response = _login(client, world.curator_a.username, "wrong-password")
        assert "после 14:35." in response.content.decode()
    with time_machine.travel(NOON + datetime.timedelta(minutes=15, seconds=1), tick=False):
        assert _login(client, world.curator_a.username, PASSWORD).status_code == 302


def test_it_locks_out_a_user_name_tried_from_many_addresses(client, world):
    for number in range(5):
        _login(client, world.curator_a.username, "wrong-password", address=f"10.0.1.{number}")

    response = _login(client, world.curator_a.username, PASSWORD, address="10.0.2.1")

    assert response.status_code == 429
    assert not _logged_in(client)
    # Another user from that address is not concerned.
    assert _login(client, world.curator_b.username, PASSWORD, address="10.0.2.1").status_code == 302


def test_it_locks_out_an_address_that_tries_many_user_names(client, world):
    for number in range(5):
        _login(client, f"guess{number}", "wrong-password", address="10.0.3.1")

    assert _login(client, world.curator_b.username, PASSWORD, address="10.0.3.1").status_code == 429
    assert not _logged_in(client)
    assert _login(client, world.curator_b.username, PASSWORD, address="10.0.3.2").status_code == 302


def test_it_journals_every_failed_login_with_the_name_and_the_address_but_no_password(client, world):
    for _ in range(6):
        _login(client, "curator-typo", "secret-guess-123", address="10.0.4.7")

    entries = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).order_by("pk")
    assert entries.count() == 6
    entry = entries.last()
    assert entry.get_action_display() == "Неудачный вход"
    assert entry.actor is None
    assert entry.data["username"] == "curator-typo"
    assert entry.data["ip_address"] == "10.0.4.7"
    assert [e.data["locked_out"] for e in entries] == [False, False, False, False, True, True]
    assert "secret-guess-123" not in str(entry.data) + str(entry.changes) + entry.object_repr


def test_it_journals_a_user_name_with_control_characters_as_text_it_can_store(client, world):
    # A NUL or more than 150 characters never reach a log-in: the form refuses them first.
    _login(client, "adm\x1bin" + "x" * 140, "wrong")

    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.data["username"] == "adm\N{REPLACEMENT CHARACTER}in" + "x" * 140


def test_it_locks_the_admin_login_too_with_the_russian_message(client, world):
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    url = reverse("admin:login")
    for _ in range(5):
        _login(client, "root", "wrong-password", url=url)

    response = _login(client, "root", PASSWORD, url=url)

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not _logged_in(client)
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, data__username="root").count() == 6


def test_it_logs_in_on_the_first_try(client, world):
    response = _login(client, world.curator_a.username, PASSWORD)

    assert response.status_code == 302
    assert _logged_in(client)
    assert not AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).exists()


def test_it_reads_the_limits_from_the_environment():
    from tests.core.test_settings_env import run_django

    result = run_django(
        ["-c", "import django; django.setup(); from django.conf import settings as s; "
         "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds())"],
        DJANGO_SETTINGS_MODULE="config.settings.local",
        LOGIN_FAILURE_LIMIT="3",
        LOGIN_LOCKOUT_MINUTES="40",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["3", "2400.0"]


def test_it_takes_the_address_the_trusted_proxy_saw(client, world, settings):
    # Behind one proxy the client's address is the last one of X-Forwarded-For: the proxy added
    # it; whatever stands before it the client may have written itself.
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        reverse("login"),
        {"username": "nobody", "password": "x"},
        REMOTE_ADDR="192.168.0.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 10.9.8.7",
    )
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.data["ip_address"] == "10.9.8.7"


def test_it_trusts_no_forwarded_header_by_default(client, world):
    assert settings.TRUSTED_PROXY_COUNT == 0
    client.post(
        reverse("login"),
        {"username": "nobody", "password": "x"},
        REMOTE_ADDR="192.168.0.1",
        HTTP_X_FORWARDED_FOR="10.9.8.7",
    )
    assert AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED).data["ip_address"] == "192.168.0.1"


def test_it_lets_a_log_in_without_a_request_through_unchecked(world):
    from django.contrib.auth import authenticate

    assert authenticate(username=world.curator_a.username, password=PASSWORD) == world.curator_a
    assert authenticate(username=world.curator_a.username, password="wrong") is None


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("LOGIN_FAILURE_LIMIT", "0", "LOGIN_FAILURE_LIMIT and LOGIN_LOCKOUT_MINUTES must be at least 1."),
        ("LOGIN_LOCKOUT_MINUTES", "0", "LOGIN_FAILURE_LIMIT and LOGIN_LOCKOUT_MINUTES must be at least 1."),
        ("LOGIN_FAILURE_LIMIT", "five", "LOGIN_FAILURE_LIMIT='five' is not an integer."),
        ("TRUSTED_PROXY_COUNT", "-1", "TRUSTED_PROXY_COUNT must be 0 or more."),
    ],
)
def test_it_refuses_limits_it_cannot_use(variable, value, message):
    from tests.core.test_settings_env import run_django

    result = run_django(
        ["-c", "import django; django.setup()"], DJANGO_SETTINGS_MODULE="config.settings.local", **{variable: value}
    )

    assert result.returncode != 0
    assert message in result.stderr
