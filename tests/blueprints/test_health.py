"""``/healthz``: 200 "ok" while the content can be read, 503 when it cannot; never cached."""

import shutil

from app import create_app


def test_healthz_says_ok_and_is_never_stored(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.data == b"ok\n"
    assert response.mimetype == "text/plain"
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_answers_503_when_the_content_directory_cannot_be_read(client, content_dir):
    shutil.rmtree(content_dir)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.headers["Cache-Control"] == "no-store"
    content_dir.mkdir()
    assert client.get("/healthz").status_code == 200


def test_healthz_reads_only_the_librarys_throttled_snapshot(content_dir):
    app = create_app({"CONTENT_DIR": str(content_dir), "RESCAN_INTERVAL": 3600})
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    shutil.rmtree(content_dir)
    # No rescan is due for an hour, so no probe looks at the disk.
    assert [client.get("/healthz").status_code for _ in range(3)] == [200, 200, 200]
