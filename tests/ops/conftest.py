from tests.cases.conftest import cases  # noqa: F401 - the case factory fixture
