#pragma once

namespace rifa {

// A test-only fault injector for the crash-safety tests: when the environment variable
// RIFA_TEST_CRASH_AT names `step` (e.g. "payout.after_provider"), the process ends on the spot
// with _exit(137) — no destructors, no flush, no commit — exactly as a SIGKILL at that point
// would leave it (137 = 128 + SIGKILL). Unset (always, in production) it costs one cached lookup.
// RIFA_TEST_CRASH_AT may list several steps separated by commas.
void crash_point(const char* step);

}  // namespace rifa
