#!/usr/bin/python3
"""A real SMTP server for notifier_email's tests (Debian's python3-aiosmtpd).

Usage: smtp_sink.py --out DIR [--port N] [--cert PEM --key PEM [--implicit-tls]] [--auth USER:PASS]

Each message accepted is written to DIR/NNNN.eml (the bytes as received) with DIR/NNNN.json (the
envelope, whether the session was encrypted, who authenticated). With --cert the server offers
STARTTLS and requires it before MAIL (or, with --implicit-tls, speaks TLS from the first byte);
with --auth it requires AUTH PLAIN/LOGIN with those credentials. Prints "READY <port>" once
listening, then serves until SIGTERM.
"""
import argparse
import json
import logging
import os
import signal
import ssl
import sys
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, out, implicit_tls):
        self.out = out
        self.implicit_tls = implicit_tls
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            base = os.path.join(self.out, "%04d" % self.count)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None or self.implicit_tls,
            "authenticated": bool(getattr(session, "authenticated", False)),
        }
        with open(base + ".json", "w") as f:
            json.dump(meta, f)
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 OK queued"


def main():
    # The test's own server: its warnings about the test's chosen setups are noise in the test log.
    warnings.filterwarnings("ignore")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--auth")
    args = parser.parse_args()

    kwargs = {}
    context = None
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
    if context and args.implicit_tls:
        kwargs["ssl_context"] = context
        kwargs["server_kwargs"] = {}
    elif context:
        kwargs["tls_context"] = context
        kwargs["require_starttls"] = True
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and \
                auth_data.password.decode() == password
            return AuthResult(success=ok)

        kwargs["authenticator"] = authenticator
        kwargs["auth_required"] = True
        # Over implicit TLS the whole session is encrypted, though aiosmtpd does not count it as
        # STARTTLS for this check.
        kwargs["auth_require_tls"] = context is not None and not args.implicit_tls

    port = args.port
    if port == 0:
        import socket
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
    controller = Controller(Sink(args.out, bool(context and args.implicit_tls)), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    print("READY %d" % port, flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    done.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
