#include "engine/jobs/job_queue.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace rifa::jobs {

const char* status_name(JobStatus status) {
  switch (status) {
    case JobStatus::kQueued: return "queued";
    case JobStatus::kRunning: return "running";
    case JobStatus::kSucceeded: return "succeeded";
    case JobStatus::kFailed: return "failed";
    case JobStatus::kDead: return "dead";
  }
  return "queued";
}

std::chrono::seconds backoff_after(int attempts) {
  const int exponent = std::clamp(attempts, 1, 12);
  return std::min(std::chrono::seconds(1L << exponent), std::chrono::seconds(3600));
}

std::string random_uuid() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("RAND_bytes failed");
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

}  // namespace rifa::jobs
