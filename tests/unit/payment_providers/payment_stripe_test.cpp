// payment_stripe as the host runs it (dlopen, schema, create, the real libcurl transport) against
// a loopback fake of Stripe's API.
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>

#include "fake_stripe.hpp"

namespace rifa::testing {
namespace {

constexpr const char* kKey = "sk_test_51Kfake0123456789abcdefSECRETKEY";
constexpr const char* kWebhookSecret = "whsec_unitTestSigningSecret0123456789";
constexpr int64_t kNowMs = 1767225600000;  // 2026-01-01T00:00:00Z
constexpr const char* kTransaccion = "5f0c7a52-1d2b-4c59-9a57-0d8a0b7b1e01";

// Stripe's scheme, written here independently of the plugin (and checked against Stripe's own
// library in stripe_signature_npm_test).
std::string hmac_header(const std::string& body, const std::string& secret, int64_t t) {
  const std::string signed_payload = std::to_string(t) + "." + body;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signed_payload.data()), signed_payload.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return "t=" + std::to_string(t) + ",v1=" + hex;
}

class PaymentStripeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("RIFA_TEST_STRIPE_KEY", kKey, 1);
    ::setenv("RIFA_TEST_STRIPE_WHSEC", kWebhookSecret, 1);
  }

  json config(json extra = json::object()) {
    json c = {{"api_base", stripe_.base()},
              {"secret_key_env", "RIFA_TEST_STRIPE_KEY"},
              {"webhook_secret_env", "RIFA_TEST_STRIPE_WHSEC"},
              {"publishable_key", "pk_test_51Kfake"},
              {"timeout_ms", 5000}};
    c.update(extra);
    return c;
  }
  std::unique_ptr<HostedPlugin> host(json extra = json::object()) {
    auto h = std::make_unique<HostedPlugin>(RIFA_STRIPE_PLUGIN_FILE, config(extra), kNowMs);
    EXPECT_TRUE(h->created()) << h->create_error();
    return h;
  }
  static std::string purchase(int64_t cents, json metadata = json::object(), const std::string& key = kTransaccion) {
    return json({{"amount_cents", cents},
                 {"currency", "COP"},
                 {"idempotency_key", key},
                 {"description", "Rifa 7: 2 numeros"},
                 {"metadata", metadata}})
        .dump();
  }
  std::string event(const std::string& id, const std::string& type, const json& object) {
    return json({{"id", id},
                 {"object", "event"},
                 {"type", type},
                 {"created", kNowMs / 1000},
                 {"data", {{"object", object}}}})
        .dump();
  }

  FakeStripe stripe_{kKey};
};

TEST_F(PaymentStripeTest, CreatesAPaymentIntentFormEncodedWithBearerAndOurIdempotencyKey) {
  auto h = host();
  const auto out = (*h)->create_payment(purchase(2500000, {{"rifa_id", "r7"}}));
  ASSERT_TRUE(out.ok()) << out.error;
  const json answer = parse(out.result);
  EXPECT_EQ(answer["status"], "pending");
  EXPECT_EQ(answer["next_action"]["type"], "client_secret");
  EXPECT_EQ(answer["next_action"]["publishable_key"], "pk_test_51Kfake");
  const json pi = stripe_.intent(answer["provider_ref"]);
  EXPECT_EQ(answer["next_action"]["value"], pi["client_secret"]);

  const auto seen = stripe_.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].headers.at("authorization"), std::string("Bearer ") + kKey);
  EXPECT_EQ(seen[0].headers.at("idempotency-key"), kTransaccion);
  EXPECT_EQ(seen[0].headers.at("content-type"), "application/x-www-form-urlencoded");
  auto form = parse_form(seen[0].body);
  // COP: two decimals in Stripe's API, whole pesos only: 25.000,00 COP is amount 2500000.
  EXPECT_EQ(form["amount"], "2500000");
  EXPECT_EQ(form["currency"], "cop");
  EXPECT_EQ(form["metadata[rifa_id]"], "r7");
  EXPECT_EQ(form["metadata[idempotency_key]"], kTransaccion);
  EXPECT_EQ(form["description"], "Rifa 7: 2 numeros");
  EXPECT_EQ(form["automatic_payment_methods[enabled]"], "true");
}

TEST_F(PaymentStripeTest, AmountsThatWouldRoundAreRefusedBeforeAnyRequest) {
  auto h = host();
  const auto out = (*h)->create_payment(purchase(2500050));  // 25.000,50 COP: Stripe takes whole pesos
  EXPECT_EQ(out.status, RIFA_ERR_INVALID_ARGUMENT);
  EXPECT_NE(out.error.find("cannot be represented"), std::string::npos) << out.error;
  EXPECT_TRUE(stripe_.seen().empty());

  // A zero-decimal currency divides by 100; a three-decimal one multiplies by 10.
  ASSERT_TRUE(
      (*h)->create_payment(json({{"amount_cents", 50000}, {"currency", "JPY"}, {"idempotency_key", "jpy-1"}}).dump())
          .ok());
  EXPECT_EQ(parse_form(stripe_.seen().back().body)["amount"], "500");
  EXPECT_EQ(
      (*h)->create_payment(json({{"amount_cents", 50001}, {"currency", "JPY"}, {"idempotency_key", "jpy-2"}}).dump())
          .status,
      RIFA_ERR_INVALID_ARGUMENT);
  ASSERT_TRUE(
      (*h)->create_payment(json({{"amount_cents", 1234}, {"currency", "KWD"}, {"idempotency_key", "kwd-1"}}).dump())
          .ok());
  EXPECT_EQ(parse_form(stripe_.seen().back().body)["amount"], "12340");
  ASSERT_TRUE(
      (*h)->create_payment(json({{"amount_cents", 1999}, {"currency", "USD"}, {"idempotency_key", "usd-1"}}).dump())
          .ok());
  EXPECT_EQ(parse_form(stripe_.seen().back().body)["amount"], "1999");
}

TEST_F(PaymentStripeTest, ConfirmedCardSucceedsDeclinesOrAsksFor3DS) {
  auto h = host();
  stripe_.decline_amounts = {1300000};
  stripe_.three_ds_amounts = {1400000};
  const json card = {{"payment_method", "pm_card_visa"}};

  auto ok = (*h)->create_payment(purchase(1200000, card, "tx-ok"));
  ASSERT_TRUE(ok.ok()) << ok.error;
  EXPECT_EQ(parse(ok.result)["status"], "succeeded");
  EXPECT_FALSE(parse(ok.result).contains("next_action"));
  auto form = parse_form(stripe_.seen().back().body);
  EXPECT_EQ(form["confirm"], "true");
  EXPECT_EQ(form["payment_method"], "pm_card_visa");
  EXPECT_EQ(form["automatic_payment_methods[allow_redirects]"], "never");

  auto declined = (*h)->create_payment(purchase(1300000, card, "tx-declined"));
  EXPECT_EQ(declined.status, RIFA_ERR_DECLINED);
  EXPECT_EQ(declined.error, "Your card has insufficient funds. (insufficient_funds)");

  auto three_ds = (*h)->create_payment(purchase(1400000, card, "tx-3ds"));
  ASSERT_TRUE(three_ds.ok()) << three_ds.error;
  const json a = parse(three_ds.result);
  EXPECT_EQ(a["status"], "pending");
  EXPECT_EQ(a["next_action"]["type"], "client_secret");
  EXPECT_EQ(a["next_action"]["value"], stripe_.intent(a["provider_ref"])["client_secret"]);
}

TEST_F(PaymentStripeTest, ProviderDownIsATransportErrorAndTheRetryNeverChargesTwice) {
  auto h = host();
  stripe_.fail_next = 5;  // more than the transport's own retry
  auto down = (*h)->create_payment(purchase(1000000, {{"payment_method", "pm_card_visa"}}));
  EXPECT_EQ(down.status, RIFA_ERR_TRANSPORT) << down.error;
  EXPECT_EQ(stripe_.intents_created, 0);

  stripe_.fail_next = 1;  // the transport retries once by itself, with the same Idempotency-Key
  auto first = (*h)->create_payment(purchase(1000000, {{"payment_method", "pm_card_visa"}}));
  ASSERT_TRUE(first.ok()) << first.error;
  auto again = (*h)->create_payment(purchase(1000000, {{"payment_method", "pm_card_visa"}}));
  ASSERT_TRUE(again.ok()) << again.error;
  EXPECT_EQ(parse(first.result)["provider_ref"], parse(again.result)["provider_ref"]);
  EXPECT_EQ(stripe_.intents_created, 1);
  for (const auto& seen : stripe_.seen()) EXPECT_EQ(seen.headers.at("idempotency-key"), kTransaccion);

  // The same key with another amount: Stripe's idempotency_error, our invalid_argument.
  auto other = (*h)->create_payment(purchase(2000000, {{"payment_method", "pm_card_visa"}}));
  EXPECT_EQ(other.status, RIFA_ERR_INVALID_ARGUMENT) << other.error;
}

TEST_F(PaymentStripeTest, RetrieveMapsStatusesAndRefundsGoThroughRefundsApi) {
  auto h = host();
  auto created = (*h)->create_payment(purchase(900000));
  const std::string ref = parse(created.result)["provider_ref"];
  auto pending = (*h)->get_payment(ref);
  ASSERT_TRUE(pending.ok()) << pending.error;
  EXPECT_EQ(parse(pending.result)["status"], "pending");
  EXPECT_EQ(parse(pending.result)["amount_cents"], 900000);
  EXPECT_EQ(parse(pending.result)["currency"], "COP");

  stripe_.succeed(ref);
  EXPECT_EQ(parse((*h)->get_payment(ref).result)["status"], "succeeded");

  auto refund = (*h)->refund(
      json({{"provider_ref", ref}, {"amount_cents", 900000}, {"idempotency_key", "refund:" + ref}}).dump());
  ASSERT_TRUE(refund.ok()) << refund.error;
  EXPECT_EQ(parse(refund.result)["status"], "succeeded");
  EXPECT_EQ(stripe_.seen().back().headers.at("idempotency-key"), "refund:" + ref);
  EXPECT_EQ(parse_form(stripe_.seen().back().body)["amount"], "900000");
  EXPECT_EQ(parse((*h)->get_payment(ref).result)["status"], "refunded");

  EXPECT_EQ((*h)->get_payment("pi_doesnotexist").status, RIFA_ERR_NOT_FOUND);
  EXPECT_EQ((*h)->get_payment("../v1/refunds").status, RIFA_ERR_NOT_FOUND);
}

TEST_F(PaymentStripeTest, PayoutsAreTransfersToTheConnectedAccount) {
  auto without = host();
  auto refused = (*without)->payout(json({{"amount_cents", 5000000},
                                          {"currency", "COP"},
                                          {"idempotency_key", "payout:g1"},
                                          {"beneficiary", json::object()}})
                                        .dump());
  EXPECT_EQ(refused.status, RIFA_ERR_UNSUPPORTED);
  auto h = host({{"connected_account", "acct_1Fake"}});
  auto paid = (*h)->payout(json({{"amount_cents", 5000000},
                                 {"currency", "COP"},
                                 {"idempotency_key", "payout:g1"},
                                 {"beneficiary", json::object()}})
                               .dump());
  ASSERT_TRUE(paid.ok()) << paid.error;
  EXPECT_EQ(parse(paid.result)["status"], "paid");
  EXPECT_EQ(parse_form(stripe_.seen().back().body)["destination"], "acct_1Fake");
  EXPECT_EQ(stripe_.seen().back().headers.at("idempotency-key"), "payout:g1");
}

TEST_F(PaymentStripeTest, WebhookEventsMapToTheHostsVocabulary) {
  auto h = host();
  const json created = parse((*h)->create_payment(purchase(2500000)).result);
  const std::string ref = created["provider_ref"];
  const json pi = stripe_.succeed(ref);
  const int64_t t = kNowMs / 1000;

  const std::string succeeded = event("evt_1", "payment_intent.succeeded", pi);
  auto a = (*h)->verify_webhook(
      "POST", "content-type: application/json\nstripe-signature: " + hmac_header(succeeded, kWebhookSecret, t) + "\n",
      succeeded);
  ASSERT_TRUE(a.ok()) << a.error;
  EXPECT_EQ(parse(a.result)["type"], "payment.succeeded");
  EXPECT_EQ(parse(a.result)["provider_ref"], ref);
  EXPECT_EQ(parse(a.result)["amount_cents"], 2500000);
  EXPECT_EQ(parse(a.result)["currency"], "COP");
  EXPECT_EQ(parse(a.result)["event_id"], "evt_1");

  json failed_pi = pi;
  failed_pi["status"] = "requires_payment_method";
  failed_pi["last_payment_error"] = {{"message", "Your card was declined."}, {"decline_code", "generic_decline"}};
  const std::string failed = event("evt_2", "payment_intent.payment_failed", failed_pi);
  auto b = (*h)->verify_webhook("POST", "stripe-signature: " + hmac_header(failed, kWebhookSecret, t), failed);
  ASSERT_TRUE(b.ok()) << b.error;
  EXPECT_EQ(parse(b.result)["type"], "payment.failed");
  EXPECT_EQ(parse(b.result)["reason"], "Your card was declined. (generic_decline)");

  json charge = stripe_.charge_of(ref);
  charge["refunded"] = true;
  charge["amount_refunded"] = charge["amount"];
  const std::string refunded = event("evt_3", "charge.refunded", charge);
  auto c = (*h)->verify_webhook("POST", "stripe-signature: " + hmac_header(refunded, kWebhookSecret, t), refunded);
  ASSERT_TRUE(c.ok()) << c.error;
  EXPECT_EQ(parse(c.result)["type"], "payment.refunded");
  EXPECT_EQ(parse(c.result)["provider_ref"], ref);
  EXPECT_EQ(parse(c.result)["status"], "refunded");

  const std::string dispute = event("evt_4", "charge.dispute.created",
                                    {{"id", "dp_1"},
                                     {"object", "dispute"},
                                     {"charge", charge["id"]},
                                     {"payment_intent", ref},
                                     {"amount", 2500000},
                                     {"currency", "cop"},
                                     {"reason", "fraudulent"}});
  auto d = (*h)->verify_webhook("POST", "stripe-signature: " + hmac_header(dispute, kWebhookSecret, t), dispute);
  ASSERT_TRUE(d.ok()) << d.error;
  EXPECT_EQ(parse(d.result)["type"], "payment.disputed");
  EXPECT_EQ(parse(d.result)["provider_ref"], ref);
  EXPECT_NE(parse(d.result)["reason"].get<std::string>().find("fraudulent"), std::string::npos);

  const std::string other = event("evt_5", "customer.created", {{"id", "cus_1"}});
  EXPECT_EQ((*h)->verify_webhook("POST", "stripe-signature: " + hmac_header(other, kWebhookSecret, t), other).status,
            RIFA_ERR_INVALID_ARGUMENT);
  EXPECT_EQ((*h)->verify_webhook("POST", "content-type: application/json\n", succeeded).status, RIFA_ERR_SIGNATURE);
}

TEST_F(PaymentStripeTest, KeysComeOnlyFromTheEnvironmentAndLiveKeysNeedLiveTrue) {
  ::unsetenv("RIFA_TEST_STRIPE_KEY");
  HostedPlugin missing(RIFA_STRIPE_PLUGIN_FILE, config(), kNowMs);
  EXPECT_FALSE(missing.created());
  EXPECT_NE(missing.create_error().find("RIFA_TEST_STRIPE_KEY, which is not set"), std::string::npos)
      << missing.create_error();

  // A key written into the config is not a property the schema knows: refused.
  HostedPlugin inline_key(RIFA_STRIPE_PLUGIN_FILE, config({{"secret_key", kKey}}), kNowMs);
  EXPECT_FALSE(inline_key.created());

  const std::string live_key = "sk_live_51Kfake0123456789LIVEKEY";
  ::setenv("RIFA_TEST_STRIPE_KEY", live_key.c_str(), 1);
  HostedPlugin live_refused(RIFA_STRIPE_PLUGIN_FILE, config(), kNowMs);
  EXPECT_FALSE(live_refused.created());
  EXPECT_NE(live_refused.create_error().find("set live: true"), std::string::npos) << live_refused.create_error();
  EXPECT_EQ(live_refused.create_error().find(live_key), std::string::npos);
  HostedPlugin live_ok(RIFA_STRIPE_PLUGIN_FILE, config({{"live", true}, {"publishable_key", "pk_live_51Kfake"}}),
                       kNowMs);
  EXPECT_TRUE(live_ok.created()) << live_ok.create_error();

  ::setenv("RIFA_TEST_STRIPE_KEY", kKey, 1);
  HostedPlugin mixed(RIFA_STRIPE_PLUGIN_FILE, config({{"live", true}}), kNowMs);
  EXPECT_FALSE(mixed.created());
  HostedPlugin mixed_pk(RIFA_STRIPE_PLUGIN_FILE, config({{"publishable_key", "pk_live_51Kfake"}}), kNowMs);
  EXPECT_FALSE(mixed_pk.created());
  ::setenv("RIFA_TEST_STRIPE_KEY", "not-a-key", 1);
  HostedPlugin garbage(RIFA_STRIPE_PLUGIN_FILE, config(), kNowMs);
  EXPECT_FALSE(garbage.created());
  EXPECT_EQ(garbage.create_error().find("not-a-key"), std::string::npos);
}

TEST_F(PaymentStripeTest, SecretsNeverReachTheLogOrAnError) {
  auto h = host();
  std::string errors;
  stripe_.decline_amounts = {1300000};
  errors += (*h)->create_payment(purchase(1300000, {{"payment_method", "pm_card_visa"}}, "k1")).error;
  stripe_.fail_next = 5;
  errors += (*h)->create_payment(purchase(1000000, {}, "k2")).error;
  errors += (*h)->create_payment(purchase(1000050, {}, "k3")).error;
  errors += (*h)->verify_webhook("POST", "stripe-signature: t=1,v1=00", "{}").error;
  errors += (*h)->get_payment("pi_missing").error;
  ::setenv("RIFA_TEST_STRIPE_KEY", "sk_test_wrongKeyForThisAccount", 1);
  auto wrong = host();
  errors += (*wrong)->create_payment(purchase(1000000, {}, "k4")).error;
  EXPECT_NE(errors.find("RIFA_TEST_STRIPE_KEY"), std::string::npos) << errors;  // names the variable
  const std::string log = h->log() + wrong->log();
  for (const std::string secret :
       {std::string(kKey), std::string(kWebhookSecret), std::string("sk_test_wrongKeyForThisAccount")}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << "secret in the log:\n" << log;
    EXPECT_EQ(errors.find(secret), std::string::npos) << "secret in an error:\n" << errors;
  }
  EXPECT_FALSE(log.empty());
}

}  // namespace
}  // namespace rifa::testing
