#!/usr/bin/python3
"""Parses a mail as a mail client would (Python's email package) and prints JSON: the decoded
headers, the content types of the parts, and the text and HTML bodies decoded to Unicode."""
import json
import sys
from email import policy
from email.parser import BytesParser

with open(sys.argv[1], "rb") as f:
    msg = BytesParser(policy=policy.default).parse(f)
text = msg.get_body(preferencelist=("plain",))
html = msg.get_body(preferencelist=("html",))
print(json.dumps({
    "headers": {k.lower(): str(v) for k, v in msg.items()},
    "content_type": msg.get_content_type(),
    "parts": [p.get_content_type() + "; charset=" + str(p.get_content_charset()) for p in msg.iter_parts()],
    "text": text.get_content() if text is not None else None,
    "html": html.get_content() if html is not None else None,
}, ensure_ascii=False))
