#include "engine/email_identity.hpp"

#include <memory>

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>

#include "engine/validation.hpp"

namespace rifa::engine {
namespace {

struct SpoofCheckerCloser {
  void operator()(USpoofChecker* checker) const { uspoof_close(checker); }
};

// ICU documents a configured USpoofChecker as safe to share between threads for checks and
// skeletons, so one is opened for the process.
const USpoofChecker* spoof_checker() {
  static const std::unique_ptr<USpoofChecker, SpoofCheckerCloser> checker = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<USpoofChecker, SpoofCheckerCloser> opened(uspoof_open(&status));
    if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU uspoof_open failed: ") + u_errorName(status));
    return opened;
  }();
  return checker.get();
}

}  // namespace

Result<EmailIdentity> email_identity(std::string_view email) {
  const icu::UnicodeString text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(email.data(), static_cast<int32_t>(email.size())));
  // fromUTF8 turns malformed bytes into U+FFFD; refuse rather than store a replaced address.
  if (text.indexOf(static_cast<char16_t>(0xFFFD)) >= 0) return invalid_field("email", "is not a valid email address");

  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU NFKC_Casefold unavailable: ") + u_errorName(status));
  const icu::UnicodeString normalized = nfkc_casefold->normalize(text, status);
  if (U_FAILURE(status)) return invalid_field("email", "is not a valid email address");

  icu::UnicodeString skeleton;
  uspoof_getSkeletonUnicodeString(spoof_checker(), 0, normalized, skeleton, &status);
  if (U_FAILURE(status)) return invalid_field("email", "is not a valid email address");

  EmailIdentity out;
  normalized.toUTF8String(out.normalized);
  skeleton.toUTF8String(out.skeleton);
  if (!is_valid_email(out.normalized)) return invalid_field("email", "is not a valid email address");
  return out;
}

}  // namespace rifa::engine
