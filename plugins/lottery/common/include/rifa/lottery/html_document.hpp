#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <libxml/tree.h>

namespace rifa::lottery {

/// An HTML page parsed by gumbo (an HTML5 parser: it reads broken markup the way browsers do)
/// and copied into a libxml2 document so that parsers can query it with XPath.
/// Not copyable; movable. Nodes returned by select() live as long as the document.
class HtmlDocument {
 public:
  /// Parses any bytes; never fails (an empty or garbage body gives an almost empty document).
  static HtmlDocument parse(std::string_view html);

  /// Nodes matching an XPath 1.0 expression, in document order, evaluated relative to `context`
  /// (the document root when null). An invalid expression yields no nodes.
  std::vector<xmlNode*> select(const std::string& xpath, xmlNode* context = nullptr) const;

  /// The first match of select(), or null.
  xmlNode* first(const std::string& xpath, xmlNode* context = nullptr) const;

  /// All text below `node`, whitespace collapsed and trimmed.
  static std::string text(const xmlNode* node);

  /// An attribute's value, or "" when absent.
  static std::string attribute(const xmlNode* node, const char* name);

  /// Text of every text node in document order (whitespace collapsed, empty ones dropped): what
  /// a reader sees as separate blocks.
  std::vector<std::string> text_blocks(xmlNode* context = nullptr) const;

 private:
  struct DocFree {
    void operator()(xmlDoc* doc) const;
  };
  explicit HtmlDocument(xmlDoc* doc) : doc_(doc) {}

  std::unique_ptr<xmlDoc, DocFree> doc_;
};

/// True when the raw body contains a closing </html> tag (any case). Server-rendered pages end
/// with one; without it the transfer was cut short and the page must not be trusted, since a
/// cut page can still hold a well-formed but incomplete result.
bool has_closing_html_tag(std::string_view body);

/// Elements a page may nest before it is refused: real result pages stay under ~50, and gumbo
/// slows down quadratically with depth (20,000 nested divs take seconds), so a hostile or broken
/// page must not reach it.
inline constexpr int kMaxHtmlDepth = 1000;

/// Why an HTML body must not be parsed at all ("page cut short (no </html>)", "page nests
/// deeper than 1000 elements"), or "" when it may. Every HTML parser asks this first.
std::string html_body_problem(std::string_view body);

/// XPath predicate: the element's class attribute contains `name` as a whole word.
std::string xpath_has_class(std::string_view name);

}  // namespace rifa::lottery
