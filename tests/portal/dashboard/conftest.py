import pytest
from django.contrib.auth.models import Group, User


@pytest.fixture
def report_client(client, db):
    """A client logged in as a manager (管理職), who may read the dashboard and the committee report."""
    user = User.objects.create_user("report-manager", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="管理職"))
    client.force_login(user)
    return client
