#include "rifa/lottery/lottery_names.hpp"

namespace rifa::lottery {
namespace {

struct KnownLottery {
  std::string_view name;
  std::string_view phrase;  ///< lower case, no accents, single spaces
};

// The ordinary Colombian lotteries. Words that are also common Spanish words or parts of other
// names ("meta", "cauca" in "Valle del Cauca") only count inside the full name.
const KnownLottery kLotteries[] = {
    {"Lotería de Bogotá", "bogota"},
    {"Lotería de Boyacá", "boyaca"},
    {"Lotería del Cauca", "loteria del cauca"},
    {"Lotería de la Cruz Roja", "cruz roja"},
    {"Lotería de Cundinamarca", "cundinamarca"},
    {"Lotería Extra de Colombia", "extra de colombia"},
    {"Lotería del Huila", "huila"},
    {"Lotería de Manizales", "manizales"},
    {"Lotería de Medellín", "medellin"},
    {"Lotería del Meta", "loteria del meta"},
    {"Lotería del Quindío", "quindio"},
    {"Lotería de Risaralda", "risaralda"},
    {"Lotería de Santander", "santander"},
    {"Lotería del Tolima", "tolima"},
    {"Lotería del Valle", "valle"},
};

// Lower case without accents, every run of other characters one space, padded with spaces so a
// phrase matches as whole words with a plain find(" phrase ").
std::string searchable(std::string_view text) {
  std::string out = " ";
  const auto put = [&](char c) {
    if (c == ' ') {
      if (out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      put(static_cast<char>(c));
    } else if (c >= 'A' && c <= 'Z') {
      put(static_cast<char>(c - 'A' + 'a'));
    } else if (c == 0xc3 && i + 1 < text.size()) {
      // Latin-1 letters as UTF-8 (U+00C0–U+00FF): fold to their base letter.
      const auto next = static_cast<unsigned char>(text[++i]) | 0x20;  // upper → lower row
      if (next >= 0xa0 && next <= 0xa5) put('a');
      else if (next == 0xa7) put('c');
      else if (next >= 0xa8 && next <= 0xab) put('e');
      else if (next >= 0xac && next <= 0xaf) put('i');
      else if (next == 0xb1) put('n');
      else if (next >= 0xb2 && next <= 0xb6) put('o');
      else if (next >= 0xb9 && next <= 0xbc) put('u');
      else put(' ');
    } else {
      put(' ');
    }
  }
  if (out.back() != ' ') out.push_back(' ');
  return out;
}

// The element's visible text, and the attributes where a site names what an element shows.
void collect(const xmlNode* element, std::string& out) {
  for (const char* name : {"alt", "title", "aria-label", "class", "id"}) {
    out += HtmlDocument::attribute(element, name) + ' ';
  }
  const std::string tag = reinterpret_cast<const char*>(element->name);
  if (tag == "script" || tag == "style") return;
  if (tag == "img") {
    const std::string src = HtmlDocument::attribute(element, "src");
    const auto slash = src.find_last_of('/');
    out += (slash == std::string::npos ? src : src.substr(slash + 1)) + ' ';
  }
  for (const xmlNode* child = element->children; child != nullptr; child = child->next) {
    if (child->type == XML_ELEMENT_NODE) {
      collect(child, out);
    } else if (child->type == XML_TEXT_NODE && child->content != nullptr) {
      out += reinterpret_cast<const char*>(child->content);
      out += ' ';
    }
  }
}

}  // namespace

std::vector<std::string> lotteries_named(const xmlNode* block) {
  std::vector<std::string> named;
  if (block == nullptr) return named;
  std::string text;
  collect(block, text);
  const std::string haystack = searchable(text);
  for (const auto& lottery : kLotteries) {
    std::string needle = " ";
    needle.append(lottery.phrase).push_back(' ');
    if (haystack.find(needle) != std::string::npos) { named.emplace_back(lottery.name); }
  }
  return named;
}

std::string joined_names(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  }
  return out;
}

}  // namespace rifa::lottery
