"""Writers at the same moment, each on its own connection (committed data, real threads).

A module of its own: no module-wide seed transaction may be open around these tests.
"""

import threading

import factories as f
import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient


def meeting_url(meeting) -> str:
    return reverse("meeting-detail", args=[meeting.pk])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_with_the_same_etag_one_wins_the_other_gets_412(django_user_model):
    """Both read version N, both write at once: the database lets one through."""
    user = django_user_model.objects.create_superuser("root")
    meeting = f.MeetingFactory(title="Before")
    etag = f'"v{meeting.version}"'
    barrier = threading.Barrier(2)
    answers = []

    def write(title):
        client = APIClient()
        client.force_authenticate(user)
        barrier.wait()
        try:
            response = client.patch(meeting_url(meeting), {"title": title}, HTTP_IF_MATCH=etag)
            answers.append((response.status_code, title))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(title,)) for title in ("One", "Two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(code for code, _ in answers) == [200, 412]
    (winner,) = [title for code, title in answers if code == 200]
    meeting.refresh_from_db()
    assert meeting.title == winner
    assert meeting.history.filter(history_type="~").count() == 1
