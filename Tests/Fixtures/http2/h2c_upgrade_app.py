"""A tiny ASGI app for hypercorn, which follows an HTTP/1.1 `Upgrade: h2c` (nginx and nghttpd do not):
answers every path with `upgraded PATH`, and /missing with 404. Used by make_fixtures.py and the
end-to-end tests: `python3 -m hypercorn --bind 127.0.0.1:PORT h2c_upgrade_app:app`."""


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    status = 404 if scope["path"] == "/missing" else 200
    payload = b"upgraded " + scope["path"].encode() + b"\n"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})
