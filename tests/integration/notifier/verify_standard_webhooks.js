// Verifies messages with the official Standard Webhooks library (the `standardwebhooks` npm
// package), as a receiver would. Usage:
//   node verify_standard_webhooks.js <folder holding node_modules/standardwebhooks> <cases.json>
// cases.json: [{"secret": "whsec_...", "headers": {"webhook-id", "webhook-timestamp",
// "webhook-signature"}, "body": "..."}]. Prints one JSON array: per case {"ok": true, "payload"}
// or {"ok": false, "error": "..."}.
'use strict';
const fs = require('fs');
const path = require('path');
const { Webhook } = require(path.join(process.argv[2], 'node_modules', 'standardwebhooks'));
const cases = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const results = cases.map((c) => {
  try {
    const payload = new Webhook(c.secret).verify(c.body, c.headers);
    return { ok: true, payload };
  } catch (e) {
    return { ok: false, error: String(e && e.message ? e.message : e) };
  }
});
process.stdout.write(JSON.stringify(results));
