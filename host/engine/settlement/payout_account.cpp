#include "engine/settlement/payout_account.hpp"

#include <algorithm>
#include <cctype>

#include "engine/player_rules.hpp"
#include "engine/validation.hpp"

namespace rifa::settlement {
namespace {

using engine::invalid_field;

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Spaces and dashes are how people write account and phone numbers; nothing else is dropped.
std::string without_separators(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '-') out.push_back(c);
  }
  return out;
}

const Bank* find_bank(std::string_view slug) {
  for (const Bank& b : kBanks) {
    if (slug == b.slug) return &b;
  }
  return nullptr;
}

Error other_tipo(std::string_view field, std::string_view tipo) {
  return invalid_field(field, std::string("is not part of a ") + std::string(tipo) + " account");
}

}  // namespace

Result<PayoutAccount> check_payout_account(const PayoutAccountInput& in) {
  PayoutAccount out;
  out.tipo = in.tipo;
  if (in.tipo == "bancaria") {
    if (in.telefono) return other_tipo("telefono", in.tipo);
    if (!in.banco) return invalid_field("banco", "is required for a bank account");
    const Bank* bank = find_bank(*in.banco);
    if (!bank) {
      std::string known;
      for (const Bank& b : kBanks) known += (known.empty() ? "" : ", ") + std::string(b.slug);
      return invalid_field("banco", "must be one of " + known);
    }
    out.banco = bank->slug;
    if (!in.tipo_cuenta) return invalid_field("tipo_cuenta", "is required for a bank account");
    if (*in.tipo_cuenta != "ahorros" && *in.tipo_cuenta != "corriente") {
      return invalid_field("tipo_cuenta", "must be ahorros or corriente");
    }
    out.tipo_cuenta = *in.tipo_cuenta;
    if (!in.numero) return invalid_field("numero", "is required for a bank account");
    const std::string numero = without_separators(*in.numero);
    if (!all_digits(numero) || numero.size() < 6 || numero.size() > 20) {
      return invalid_field("numero", "must be 6 to 20 digits");
    }
    if (std::all_of(numero.begin(), numero.end(), [&](char c) { return c == numero[0]; })) {
      return invalid_field("numero", "is not an account number (one digit repeated)");
    }
    out.numero = numero;
  } else if (in.tipo == "nequi") {
    if (in.banco) return other_tipo("banco", in.tipo);
    if (in.tipo_cuenta) return other_tipo("tipo_cuenta", in.tipo);
    if (in.numero) return other_tipo("numero", in.tipo);
    if (!in.telefono) return invalid_field("telefono", "is required for a Nequi account");
    std::string phone = without_separators(*in.telefono);
    if (phone.rfind("+57", 0) == 0) {
      phone.erase(0, 3);
    } else if (phone.size() == 12 && phone.rfind("57", 0) == 0) {
      phone.erase(0, 2);
    }
    if (!all_digits(phone) || phone.size() != 10 || phone[0] != '3') {
      return invalid_field("telefono", "must be a Colombian mobile number: 10 digits starting with 3");
    }
    out.telefono = phone;
  } else {
    return invalid_field("tipo", "must be bancaria or nequi");
  }
  auto documento = engine::check_document(in.documento_tipo, in.documento_numero);
  if (!documento) return documento.error();
  out.documento_tipo = in.documento_tipo;
  out.documento_numero = *documento;
  return out;
}

std::string mask_tail(std::string_view value) {
  constexpr size_t kShown = 4;
  if (value.size() <= kShown) return std::string(value.size(), '*');
  return std::string(value.size() - kShown, '*') + std::string(value.substr(value.size() - kShown));
}

nlohmann::json masked_json(const PayoutAccount& a) {
  nlohmann::json out = {{"tipo", a.tipo}};
  if (a.tipo == "bancaria") {
    const Bank* bank = find_bank(a.banco);
    out["banco"] = a.banco;
    out["banco_nombre"] = bank ? bank->nombre : a.banco;
    out["tipo_cuenta"] = a.tipo_cuenta;
    out["numero"] = mask_tail(a.numero);
  } else {
    out["telefono"] = mask_tail(a.telefono);
  }
  out["documento_tipo"] = a.documento_tipo;
  out["documento_numero"] = mask_tail(a.documento_numero);
  return out;
}

nlohmann::json plugin_json(const PayoutAccount& a) {
  nlohmann::json out = {
      {"tipo", a.tipo}, {"documento_tipo", a.documento_tipo}, {"documento_numero", a.documento_numero}};
  if (a.tipo == "bancaria") {
    out["banco"] = a.banco;
    out["tipo_cuenta"] = a.tipo_cuenta;
    out["numero"] = a.numero;
  } else {
    out["telefono"] = a.telefono;
  }
  return out;
}

}  // namespace rifa::settlement
