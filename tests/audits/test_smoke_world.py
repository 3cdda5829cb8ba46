import pytest

pytestmark = pytest.mark.django_db


def test_world_builds(world):
    assert world.findings["ag_stp"].due_on is not None


def test_world_builds_again(world):
    assert world.findings["cb_stp"].due_on is not None


def test_open_world(open_world):
    assert open_world.findings["cb_stp"].due_on is None
