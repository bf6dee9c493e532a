"""The local AWS engine: moto's server, with DynamoDB requests serialised.

Real DynamoDB evaluates the conditions of a write and applies it atomically with respect to every
other write. Moto's server handles requests on many threads and its DynamoDB backend takes no
lock, so two conditional writes racing on one item can both see the old item and both succeed.
Serialising DynamoDB requests gives the local engine the guarantee the product relies on
(conditional writes, transactions); every other service keeps moto's threading.

Usage: engine.py -H 127.0.0.1 -p PORT   (the same options as moto_server)
"""
import io
import sys
import threading

from moto import server

_DYNAMODB_TARGET = "DynamoDB_20120810."
_lock = threading.Lock()


def _serialised(app):
    def wsgi(environ, start_response):
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith(_DYNAMODB_TARGET):
            return app(environ, start_response)
        # The whole request is read before the lock is taken: a client that stops half-way
        # through sending (an interrupted thread, a killed process) must only stall its own
        # request, never every DynamoDB request behind the lock.
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > 0:
            request = environ["wsgi.input"].read(length)
            if len(request) < length:
                start_response("400 Bad Request", [("Content-Type", "text/plain")])
                return [b"incomplete request body"]
            environ["wsgi.input"] = io.BytesIO(request)
        with _lock:
            result = app(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        return [body]

    return wsgi


_original = server.DomainDispatcherApplication


class _Dispatcher(_original):
    def __call__(self, environ, start_response):
        return _serialised(super().__call__)(environ, start_response)


server.DomainDispatcherApplication = _Dispatcher

if __name__ == "__main__":
    server.main(sys.argv[1:])
