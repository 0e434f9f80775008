#include "rifa/lottery/html_document.hpp"

#include <gumbo.h>
#include <libxml/xpath.h>

#include <algorithm>
#include <utility>

#include "rifa/lottery/digits.hpp"

namespace rifa::lottery {
namespace {

const xmlChar* xml_text(const char* text) { return reinterpret_cast<const xmlChar*>(text); }

std::string element_name(const GumboElement& element) {
  if (element.tag != GUMBO_TAG_UNKNOWN) return gumbo_normalized_tagname(element.tag);
  GumboStringPiece original = element.original_tag;
  gumbo_tag_from_original_text(&original);
  std::string name(original.data == nullptr ? "" : std::string(original.data, original.length));
  for (char& c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  // XPath needs a usable element name; unknown tags with odd bytes become "unknown".
  bool usable = !name.empty();
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) usable = false;
  }
  return usable ? name : "unknown";
}

// Copies gumbo's tree into libxml2 iteratively: fuzzed pages can nest deeper than the stack.
void copy_tree(const GumboNode* root, xmlDoc* doc) {
  std::vector<std::pair<const GumboNode*, xmlNode*>> stack;
  xmlNode* html = xmlNewDocNode(doc, nullptr, xml_text("html"), nullptr);
  xmlDocSetRootElement(doc, html);
  const GumboVector& top = root->v.element.children;
  for (unsigned i = top.length; i-- > 0;) { stack.emplace_back(static_cast<const GumboNode*>(top.data[i]), html); }
  // gumbo's root is <html>: copy its attributes, then its children.
  for (unsigned i = 0; i < root->v.element.attributes.length; ++i) {
    auto* attribute = static_cast<const GumboAttribute*>(root->v.element.attributes.data[i]);
    xmlNewProp(html, xml_text(attribute->name), xml_text(attribute->value));
  }
  while (!stack.empty()) {
    auto [node, parent] = stack.back();
    stack.pop_back();
    switch (node->type) {
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE: {
        const GumboElement& element = node->v.element;
        xmlNode* copy = xmlNewDocNode(doc, nullptr, xml_text(element_name(element).c_str()), nullptr);
        xmlAddChild(parent, copy);
        for (unsigned i = 0; i < element.attributes.length; ++i) {
          auto* attribute = static_cast<const GumboAttribute*>(element.attributes.data[i]);
          xmlNewProp(copy, xml_text(attribute->name), xml_text(attribute->value));
        }
        for (unsigned i = element.children.length; i-- > 0;) {
          stack.emplace_back(static_cast<const GumboNode*>(element.children.data[i]), copy);
        }
        break;
      }
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE:
      case GUMBO_NODE_CDATA: xmlAddChild(parent, xmlNewDocText(doc, xml_text(node->v.text.text))); break;
      case GUMBO_NODE_COMMENT:
      case GUMBO_NODE_DOCUMENT: break;
    }
  }
}

}  // namespace

void HtmlDocument::DocFree::operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }

HtmlDocument HtmlDocument::parse(std::string_view html) {
  GumboOptions options = kGumboDefaultOptions;
  GumboOutput* output = gumbo_parse_with_options(&options, html.data(), html.size());
  xmlDoc* doc = xmlNewDoc(xml_text("1.0"));
  copy_tree(output->root, doc);
  gumbo_destroy_output(&options, output);
  return HtmlDocument(doc);
}

std::vector<xmlNode*> HtmlDocument::select(const std::string& xpath, xmlNode* context) const {
  std::vector<xmlNode*> nodes;
  xmlXPathContext* ctx = xmlXPathNewContext(doc_.get());
  if (ctx == nullptr) return nodes;
  ctx->node = context != nullptr ? context : xmlDocGetRootElement(doc_.get());
  xmlXPathObject* result = xmlXPathEvalExpression(xml_text(xpath.c_str()), ctx);
  if (result != nullptr && result->type == XPATH_NODESET && result->nodesetval != nullptr) {
    for (int i = 0; i < result->nodesetval->nodeNr; ++i) { nodes.push_back(result->nodesetval->nodeTab[i]); }
  }
  xmlXPathFreeObject(result);
  xmlXPathFreeContext(ctx);
  return nodes;
}

xmlNode* HtmlDocument::first(const std::string& xpath, xmlNode* context) const {
  auto nodes = select(xpath, context);
  return nodes.empty() ? nullptr : nodes.front();
}

std::string HtmlDocument::text(const xmlNode* node) {
  if (node == nullptr) return {};
  xmlChar* content = xmlNodeGetContent(node);
  if (content == nullptr) return {};
  std::string out = collapse_whitespace(reinterpret_cast<const char*>(content));
  xmlFree(content);
  return out;
}

std::string HtmlDocument::attribute(const xmlNode* node, const char* name) {
  if (node == nullptr) return {};
  xmlChar* value = xmlGetProp(node, xml_text(name));
  if (value == nullptr) return {};
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

std::vector<std::string> HtmlDocument::text_blocks(xmlNode* context) const {
  std::vector<std::string> blocks;
  for (xmlNode* node : select(".//text()", context)) {
    // Script and style bodies are not visible text.
    const xmlNode* parent = node->parent;
    if (parent != nullptr && parent->name != nullptr) {
      const std::string tag(reinterpret_cast<const char*>(parent->name));
      if (tag == "script" || tag == "style") continue;
    }
    std::string block = collapse_whitespace(reinterpret_cast<const char*>(node->content));
    if (!block.empty()) blocks.push_back(std::move(block));
  }
  return blocks;
}

bool has_closing_html_tag(std::string_view body) {
  static constexpr std::string_view kTag = "</html";
  if (body.size() < kTag.size()) return false;
  for (std::size_t i = body.size() - kTag.size() + 1; i-- > 0;) {
    bool match = true;
    for (std::size_t k = 0; k < kTag.size() && match; ++k) {
      char c = body[i + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      match = c == kTag[k];
    }
    if (match) return true;
  }
  return false;
}

namespace {

// Open-element depth estimated from the tags alone (void and self-closed tags do not nest).
int estimated_depth(std::string_view body) {
  static constexpr std::string_view kVoid[] = {"area",  "base", "br",   "col",   "embed",  "hr",    "img",
                                               "input", "link", "meta", "param", "source", "track", "wbr"};
  int depth = 0;
  int deepest = 0;
  for (std::size_t i = 0; i + 1 < body.size(); ++i) {
    if (body[i] != '<') continue;
    const char next = body[i + 1];
    if (next == '/') {
      depth = depth > 0 ? depth - 1 : 0;
      continue;
    }
    if (!((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z'))) continue;
    std::size_t end = i + 1;
    std::string name;
    while (end < body.size() && ((body[end] >= 'a' && body[end] <= 'z') || (body[end] >= 'A' && body[end] <= 'Z') ||
                                 (body[end] >= '0' && body[end] <= '9'))) {
      name.push_back(static_cast<char>(body[end] | 0x20));
      ++end;
    }
    const std::size_t close = body.find('>', end);
    const bool self_closed = close != std::string_view::npos && close > 0 && body[close - 1] == '/';
    bool is_void = self_closed;
    for (std::string_view tag : kVoid) is_void = is_void || name == tag;
    if (!is_void) deepest = std::max(deepest, ++depth);
  }
  return deepest;
}

}  // namespace

std::string html_body_problem(std::string_view body) {
  if (!has_closing_html_tag(body)) return "page cut short (no </html>)";
  if (estimated_depth(body) > kMaxHtmlDepth) {
    return "page nests deeper than " + std::to_string(kMaxHtmlDepth) + " elements";
  }
  return {};
}

std::string xpath_has_class(std::string_view name) {
  return "contains(concat(' ', normalize-space(@class), ' '), ' " + std::string(name) + " ')";
}

}  // namespace rifa::lottery
