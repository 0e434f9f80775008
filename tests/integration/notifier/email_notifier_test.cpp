// notifier_email, loaded as the host loads it, sending to a real SMTP server started by the test
// (aiosmtpd): what arrived is parsed as a mail client would (headers, both parts, UTF-8, the
// amounts and numbers in es-CO), over STARTTLS with AUTH, over implicit TLS, with templates
// overridden from a folder; one event id is never mailed twice; a server without TLS gets nothing
// when STARTTLS is required.
#include <chrono>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "plugin_runtime/plugin_registry.hpp"
#include "smtp_sink_process.hpp"
#include "test_database.hpp"

namespace rifa::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class EmailNotifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const std::string why = SmtpSinkProcess::unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
    ASSERT_TRUE(SmtpSinkProcess::make_certificate(dir_.path()));
  }

  plugin_runtime::PluginInstance* load(const std::string& id, json config) {
    plugin_runtime::HostServices services;
    services.logger = std::make_shared<spdlog::logger>("plugin", std::make_shared<spdlog::sinks::null_sink_mt>());
    services.now_unix_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
    auto added =
        registry_.add({id, fs::path(RIFA_PLUGIN_DIR) / "libnotifier_email.so", RIFA_KIND_NOTIFIER, config}, services);
    EXPECT_TRUE(added.ok()) << added.error().message;
    return registry_.find(id).get();
  }

  json config(const std::string& url) const {
    return {{"smtp_url", url},
            {"starttls", "required"},
            {"ca_file", (dir_.path() / "cert.pem").string()},
            {"username", "rifa"},
            {"password", "clave-secreta"},
            {"from", "Rifa1122 <no-responder@rifa.test>"},
            {"contact", {"email", "nombre"}}};
  }

  SmtpSinkOptions tls_options() const {
    SmtpSinkOptions o;
    o.cert = dir_.path() / "cert.pem";
    o.key = dir_.path() / "key.pem";
    o.auth = "rifa:clave-secreta";
    return o;
  }

  static json receipt(const std::string& id) {
    return {
        {"event_id", id},
        {"type", "receipt"},
        {"occurred_at", "2026-12-07T23:00:00.000Z"},  // 18:00 in Bogota, Monday 7 December
        {"rifa_id", "7d1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f"},
        {"rifa_nombre", "Moto <Pulsar> de Año Nuevo"},
        {"data", {{"transaccion_id", "tx-0042"}, {"numeros", {7, 42}}, {"total_cents", 2500000}, {"user_id", "u-1"}}},
        {"recipient", {{"usuario_id", "u-1"}, {"email", "jose@example.co"}, {"nombre", "José Núñez"}}}};
  }

  static json winner(const std::string& id) {
    return {{"event_id", id},
            {"type", "winner"},
            {"occurred_at", "2026-12-08T03:30:00.000Z"},  // 22:30 on Monday 7 December in Bogota
            {"rifa_id", "7d1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f"},
            {"data",
             {{"ganador_id", "g-1"},
              {"numero", 42},
              {"tier", 0},
              {"tier_name", "Premio mayor"},
              {"monto_ganado", 1250000},
              {"in_kind", false},
              {"usuario_id", "u-1"}}},
            {"recipient", {{"usuario_id", "u-1"}, {"email", "jose@example.co"}, {"nombre", "José Núñez"}}}};
  }

  TempDir dir_;
  plugin_runtime::PluginRegistry registry_;
};

TEST_F(EmailNotifierTest, AReceiptArrivesOverStartTlsWithBothPartsInSpanishAndOnlyOnce) {
  SmtpSinkProcess smtp(dir_.path() / "mail", tls_options());
  ASSERT_TRUE(smtp.ready());
  auto* email = load("email", config("smtp://127.0.0.1:" + std::to_string(smtp.port())));
  ASSERT_NE(email, nullptr);
  auto sent = email->deliver(receipt("evt-receipt-1").dump());
  ASSERT_TRUE(sent.ok()) << sent.error;
  // The same event again (a retry after a lost answer): no second mail.
  ASSERT_TRUE(email->deliver(receipt("evt-receipt-1").dump()).ok());

  const auto mails = smtp.mails();
  ASSERT_EQ(mails.size(), 1u);
  const json& envelope = mails[0]["envelope"];
  EXPECT_TRUE(envelope["tls"].get<bool>());
  EXPECT_TRUE(envelope["authenticated"].get<bool>());
  EXPECT_EQ(envelope["mail_from"], "no-responder@rifa.test");
  EXPECT_EQ(envelope["rcpt_tos"], json::array({"jose@example.co"}));
  const json& mail = mails[0]["mail"];
  ASSERT_TRUE(mail.is_object()) << mails[0].dump();
  EXPECT_EQ(mail["headers"]["to"], "José Núñez <jose@example.co>");
  EXPECT_EQ(mail["headers"]["subject"], "Tu compra en la rifa Moto <Pulsar> de Año Nuevo: 7, 42");
  EXPECT_EQ(mail["headers"]["message-id"], "<evt-receipt-1@rifa1122>");
  EXPECT_EQ(mail["content_type"], "multipart/alternative");
  EXPECT_EQ(mail["parts"], (json{"text/plain; charset=utf-8", "text/html; charset=utf-8"}));
  const std::string text = mail["text"];
  EXPECT_NE(text.find("Hola, José Núñez:"), std::string::npos) << text;
  EXPECT_NE(text.find("Recibimos tu pago de $ 25.000 el lunes 7 de diciembre de 2026."), std::string::npos) << text;
  EXPECT_NE(text.find("Números comprados: 7, 42"), std::string::npos) << text;
  EXPECT_NE(text.find("Transacción: tx-0042"), std::string::npos) << text;
  EXPECT_NE(text.find("Rifa: Moto <Pulsar> de Año Nuevo"), std::string::npos) << text;
  const std::string html = mail["html"];
  EXPECT_NE(html.find("Rifa: <strong>Moto &lt;Pulsar&gt; de Año Nuevo</strong>"), std::string::npos) << html;
  EXPECT_NE(html.find("<strong>$ 25.000</strong>"), std::string::npos) << html;
  EXPECT_NE(html.find("<strong>7, 42</strong>"), std::string::npos) << html;
  EXPECT_NE(html.find("<code>tx-0042</code>"), std::string::npos) << html;
}

TEST_F(EmailNotifierTest, TheWinnerMailSaysThePrizeAndWhatNextAndTemplatesAreOverridable) {
  // The operator's folder overrides the winner's subject and HTML; the text part stays built in.
  const fs::path templates = dir_.path() / "plantillas";
  fs::create_directories(templates);
  std::ofstream(templates / "winner.subject") << "{{nombre}}, ganaste {{premio}} con el {{numero}}\n";
  std::ofstream(templates / "winner.html") << "<p>Premio: <b>{{premio}}</b> para {{nombre}}</p>";
  SmtpSinkOptions options = tls_options();
  options.implicit_tls = true;
  SmtpSinkProcess smtp(dir_.path() / "mail", options);
  ASSERT_TRUE(smtp.ready());
  json c = config("smtps://127.0.0.1:" + std::to_string(smtp.port()));
  c["templates_dir"] = templates.string();
  auto* email = load("email", c);
  ASSERT_NE(email, nullptr);
  auto sent = email->deliver(winner("evt-winner-1").dump());
  ASSERT_TRUE(sent.ok()) << sent.error;

  const auto mails = smtp.mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_TRUE(mails[0]["envelope"]["tls"].get<bool>());
  const json& mail = mails[0]["mail"];
  EXPECT_EQ(mail["headers"]["subject"], "José Núñez, ganaste $ 12.500 con el 42");
  EXPECT_EQ(mail["html"], "<p>Premio: <b>$ 12.500</b> para José Núñez</p>");
  const std::string text = mail["text"];
  // No rifa_nombre in this event (a host before 1.1's addition): the rifa by its id.
  EXPECT_NE(text.find("Tu número 42 ganó en el sorteo de la rifa 7d1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f (Premio mayor)."),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Premio: $ 12.500"), std::string::npos) << text;
  EXPECT_NE(text.find("Qué sigue: enviaremos el premio al medio de pago de tu cuenta"), std::string::npos) << text;
  EXPECT_NE(text.find("g-1"), std::string::npos) << text;
}

// Issue 15: a prize above 48 UVT says the gross, the withholding and the net; one in kind says
// what the winner must pay before delivery.
TEST_F(EmailNotifierTest, TheWinnerMailSaysTheWithholdingOnThePrize) {
  SmtpSinkOptions options = tls_options();
  options.implicit_tls = true;
  SmtpSinkProcess smtp(dir_.path() / "mail", options);
  ASSERT_TRUE(smtp.ready());
  auto* email = load("email", config("smtps://127.0.0.1:" + std::to_string(smtp.port())));
  ASSERT_NE(email, nullptr);
  json cash = winner("evt-winner-tax");
  cash["data"]["monto_ganado"] = 300000000;
  cash["data"]["monto_bruto"] = 300000000;
  cash["data"]["retencion"] = 60000000;
  cash["data"]["monto_neto"] = 240000000;
  ASSERT_TRUE(email->deliver(cash.dump()).ok());
  json moto = winner("evt-winner-moto");
  moto["data"].update({{"in_kind", true},
                       {"descripcion", "Moto AKT 125"},
                       {"monto_ganado", 0},
                       {"monto_bruto", 650000000},
                       {"retencion", 130000000},
                       {"monto_neto", 520000000}});
  ASSERT_TRUE(email->deliver(moto.dump()).ok());
  json small = winner("evt-winner-small");
  small["data"].update({{"monto_bruto", 1250000}, {"retencion", 0}, {"monto_neto", 1250000}});
  ASSERT_TRUE(email->deliver(small.dump()).ok());

  const auto mails = smtp.mails();
  ASSERT_EQ(mails.size(), 3u);
  const std::string cash_text = mails[0]["mail"]["text"];
  EXPECT_NE(cash_text.find("Premio bruto: $ 3.000.000; retención en la fuente: $ 600.000; recibirás $ 2.400.000."),
            std::string::npos)
      << cash_text;
  const std::string moto_text = mails[1]["mail"]["text"];
  EXPECT_NE(moto_text.find("antes de la entrega debes pagar $ 1.300.000"), std::string::npos) << moto_text;
  const std::string small_text = mails[2]["mail"]["text"];
  EXPECT_EQ(small_text.find("retención"), std::string::npos) << small_text;
}

TEST_F(EmailNotifierTest, RequiredStartTlsNeverSendsInClear) {
  SmtpSinkProcess plain(dir_.path() / "mail", SmtpSinkOptions{});  // no TLS offered
  ASSERT_TRUE(plain.ready());
  json c = config("smtp://127.0.0.1:" + std::to_string(plain.port()));
  c.erase("username");
  c.erase("password");
  auto* email = load("email", c);
  ASSERT_NE(email, nullptr);
  auto refused = email->deliver(receipt("evt-clear").dump());
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(refused.status, RIFA_ERR_TRANSPORT) << refused.error;
  EXPECT_TRUE(plain.mails().empty());
}

// An operator may mail an event type that has no built-in mail (here ticket_sold) by putting its
// three files in the templates folder; a folder that names a new type without its parts is
// refused when the instance is created, saying which file is missing.
TEST_F(EmailNotifierTest, TheTemplatesFolderCanAddAMailForAnotherEventType) {
  const fs::path templates = dir_.path() / "plantillas";
  fs::create_directories(templates);
  std::ofstream(templates / "ticket_sold.subject") << "Vendido: {{numeros}} en {{rifa}}\n";
  std::ofstream(templates / "ticket_sold.txt") << "Hola, {{nombre}}: quedaron a tu nombre {{numeros}}.\n";
  std::ofstream(templates / "ticket_sold.html") << "<p>{{nombre}}: {{numeros}}</p>";
  SmtpSinkProcess smtp(dir_.path() / "mail", tls_options());
  ASSERT_TRUE(smtp.ready());
  json c = config("smtp://127.0.0.1:" + std::to_string(smtp.port()));
  c["templates_dir"] = templates.string();
  auto* email = load("email", c);
  ASSERT_NE(email, nullptr);
  json sold = receipt("evt-sold-1");
  sold["type"] = "ticket_sold";
  auto sent = email->deliver(sold.dump());
  ASSERT_TRUE(sent.ok()) << sent.error;
  const auto mails = smtp.mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0]["mail"]["headers"]["subject"], "Vendido: 7, 42 en Moto <Pulsar> de Año Nuevo");
  EXPECT_EQ(mails[0]["mail"]["html"], "<p>José Núñez: 7, 42</p>");

  fs::remove(templates / "ticket_sold.html");
  plugin_runtime::HostServices services;
  services.logger = std::make_shared<spdlog::logger>("plugin", std::make_shared<spdlog::sinks::null_sink_mt>());
  auto refused =
      registry_.add({"email-2", fs::path(RIFA_PLUGIN_DIR) / "libnotifier_email.so", RIFA_KIND_NOTIFIER, c}, services);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("ticket_sold.html is missing"), std::string::npos) << refused.error().message;
}

TEST_F(EmailNotifierTest, EventsWithoutAnAddressOrATemplateSendNothing) {
  SmtpSinkProcess smtp(dir_.path() / "mail", tls_options());
  ASSERT_TRUE(smtp.ready());
  auto* email = load("email", config("smtp://127.0.0.1:" + std::to_string(smtp.port())));
  ASSERT_NE(email, nullptr);
  json anonymous = receipt("evt-anon");
  anonymous.erase("recipient");
  EXPECT_TRUE(email->deliver(anonymous.dump()).ok());
  json sold = receipt("evt-sold");
  sold["type"] = "ticket_sold";  // the receipt covers the sale
  EXPECT_TRUE(email->deliver(sold.dump()).ok());
  EXPECT_TRUE(smtp.mails().empty());
}

}  // namespace
}  // namespace rifa::testing
