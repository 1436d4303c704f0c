from tests.cases.conftest import cases  # noqa: F401 - the case factory fixture
from tests.meetups.conftest import make_meetup  # noqa: F401 - the meetup factory fixture
