"""A WSGI app with no Flask in it, for showing gunicorn.conf.py serves any app it is given."""


def app(environ: dict, start_response) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"plain\n"]
