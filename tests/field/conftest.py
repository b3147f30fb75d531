import io
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from hirfa.field.selectors import agent_key
from tests.factories import craft_data, person_data

API = "/api/v1/field"


def jpeg(width=64, height=48, color=(180, 150, 120)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def put_photo(client, *, kind="cnie", data=None, photo_id=None):
    photo_id = photo_id or str(uuid.uuid4())
    response = client.put(
        f"{API}/attachments/{photo_id}?kind={kind}",
        data=data if data is not None else jpeg(),
        content_type="image/jpeg",
    )
    return photo_id, response


def registration_item(
    agent,
    *,
    photos=(),
    item_id=None,
    captured_at=None,
    sent_at=None,
    person=None,
    craft=None,
    **body,
):
    now = timezone.now()
    return {
        "id": item_id or str(uuid.uuid4()),
        "kind": "registration",
        "captured_at": (captured_at or now - timedelta(hours=3)).isoformat(),
        "sent_at": (sent_at or now).isoformat(),
        "body": {
            "agent": agent_key(agent),
            "person": person_data(**(person or {})),
            "craft": craft_data(**(craft or {})),
            "consent": True,
            "attachments": [{"id": pid, "kind": kind} for pid, kind in photos],
            **body,
        },
    }


def post_item(client, item):
    return client.post(f"{API}/items", data=item, content_type="application/json")


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
