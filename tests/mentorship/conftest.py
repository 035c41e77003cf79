"""The fixtures the mentorship tests share."""

from tests.mentorship.order_data import order_world  # noqa: F401  (a fixture: a school ready for its order on pairs)
