#pragma once

// Test helpers: a strict-enough XML well-formedness check and element counting for the
// SVG the charts write (no XML library is a dependency of the project).
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace helenus::chart::testing {

// "" when svg is well formed (balanced tags, quoted attributes, escaped text), else why not.
inline std::string SvgProblem(std::string_view svg) {
  std::vector<std::string> open;
  auto valid_entity = [&](size_t at) {
    for (std::string_view e : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"}) {
      if (svg.substr(at, e.size()) == e) return true;
    }
    return false;
  };
  size_t i = 0;
  while (i < svg.size()) {
    if (svg[i] == '&') {
      if (!valid_entity(i)) return "bad entity at " + std::to_string(i);
      ++i;
      continue;
    }
    if (svg[i] == '>') return "stray '>' at " + std::to_string(i);
    if (svg[i] != '<') {
      ++i;
      continue;
    }
    if (svg.substr(i, 2) == "<?") {
      size_t end = svg.find("?>", i);
      if (end == std::string_view::npos) return "unterminated <?";
      i = end + 2;
      continue;
    }
    bool closing = i + 1 < svg.size() && svg[i + 1] == '/';
    size_t j = i + (closing ? 2 : 1);
    size_t name_start = j;
    while (j < svg.size() && (std::isalnum(static_cast<unsigned char>(svg[j])) || svg[j] == '-' ||
                              svg[j] == ':' || svg[j] == '_')) {
      ++j;
    }
    std::string name(svg.substr(name_start, j - name_start));
    if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0]))) {
      return "bad tag name at " + std::to_string(i);
    }
    // Attributes: name="value" pairs up to '>' or '/>'.
    while (true) {
      while (j < svg.size() && std::isspace(static_cast<unsigned char>(svg[j]))) ++j;
      if (j >= svg.size()) return "unterminated tag " + name;
      if (svg[j] == '>' || svg.substr(j, 2) == "/>") break;
      size_t a = j;
      while (j < svg.size() && svg[j] != '=' && !std::isspace(static_cast<unsigned char>(svg[j])))
        ++j;
      if (a == j || j >= svg.size() || svg[j] != '=') return "bad attribute in " + name;
      ++j;
      if (j >= svg.size() || svg[j] != '"') return "unquoted attribute in " + name;
      size_t end = svg.find('"', j + 1);
      if (end == std::string_view::npos) return "unterminated attribute in " + name;
      for (size_t k = j + 1; k < end; ++k) {
        if (svg[k] == '<') return "'<' in attribute of " + name;
        if (svg[k] == '&' && !valid_entity(k)) return "bad entity in attribute of " + name;
      }
      j = end + 1;
    }
    bool self_closing = svg[j] == '/';
    i = j + (self_closing ? 2 : 1);
    if (closing) {
      if (open.empty() || open.back() != name) return "unbalanced </" + name + ">";
      open.pop_back();
    } else if (!self_closing) {
      open.push_back(name);
    }
  }
  if (!open.empty()) return "unclosed <" + open.back() + ">";
  return "";
}

// Number of elements named name (opening or self-closing tags).
inline size_t CountElements(std::string_view svg, std::string_view name) {
  size_t n = 0;
  const std::string needle = "<" + std::string(name);
  for (size_t at = svg.find(needle); at != std::string_view::npos; at = svg.find(needle, at + 1)) {
    const char next = at + needle.size() < svg.size() ? svg[at + needle.size()] : '\0';
    if (next == ' ' || next == '>' || next == '/') ++n;
  }
  return n;
}

}  // namespace helenus::chart::testing
