// A minimal SVG serializer: the chart kinds emit shapes, this keeps the markup valid.
#include "helenus/chart/svg_writer.h"

#include <cmath>

#include <fmt/format.h>

namespace helenus::chart {

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // Control characters other than tab/newline are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string SvgNumber(double v) {
  if (!std::isfinite(v)) return "0";
  // Two decimals are far below a pixel; trimming zeros keeps 10k-point scatters small.
  std::string s = fmt::format("{:.2f}", v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

SvgWriter::SvgWriter(double width, double height) {
  out_ = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"Helvetica, Arial, sans-serif\" "
      "font-size=\"12\">\n",
      SvgNumber(width), SvgNumber(height));
  Rect(0, 0, width, height, "#ffffff");
}

void SvgWriter::Title(std::string_view text) {
  out_ += "<title>" + XmlEscape(text) + "</title>\n";
}

void SvgWriter::Rect(double x, double y, double w, double h, std::string_view fill,
                     std::string_view extra) {
  out_ += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}{}/>\n",
                      SvgNumber(x), SvgNumber(y), SvgNumber(std::max(0.0, w)),
                      SvgNumber(std::max(0.0, h)), fill, extra.empty() ? "" : " ", extra);
}

void SvgWriter::Circle(double cx, double cy, double r, std::string_view extra) {
  out_ += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{}\"{}{}/>\n", SvgNumber(cx), SvgNumber(cy),
                      SvgNumber(r), extra.empty() ? "" : " ", extra);
}

void SvgWriter::Line(double x1, double y1, double x2, double y2, std::string_view stroke,
                     double width, std::string_view extra) {
  out_ += fmt::format(
      "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"{}{}/>\n",
      SvgNumber(x1), SvgNumber(y1), SvgNumber(x2), SvgNumber(y2), stroke, SvgNumber(width),
      extra.empty() ? "" : " ", extra);
}

void SvgWriter::Polyline(const std::vector<std::pair<double, double>>& points,
                         std::string_view stroke, double width, std::string_view extra) {
  std::string coords;
  for (const auto& [x, y] : points) {
    if (!coords.empty()) coords += ' ';
    coords += SvgNumber(x) + "," + SvgNumber(y);
  }
  out_ += fmt::format(
      "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" "
      "stroke-linejoin=\"round\"{}{}/>\n",
      coords, stroke, SvgNumber(width), extra.empty() ? "" : " ", extra);
}

void SvgWriter::Text(double x, double y, std::string_view text, std::string_view anchor,
                     std::string_view extra) {
  std::string attributes;
  if (anchor != "start") attributes += fmt::format(" text-anchor=\"{}\"", anchor);
  if (!extra.empty()) attributes += " " + std::string(extra);
  out_ += fmt::format("<text x=\"{}\" y=\"{}\"{}>{}</text>\n", SvgNumber(x), SvgNumber(y),
                      attributes, XmlEscape(text));
}

void SvgWriter::OpenGroup(std::string_view attributes) {
  out_ += attributes.empty() ? "<g>\n" : fmt::format("<g {}>\n", attributes);
  ++open_groups_;
}

void SvgWriter::CloseGroup() {
  if (open_groups_ == 0) return;
  out_ += "</g>\n";
  --open_groups_;
}

void SvgWriter::Raw(std::string_view markup) {
  out_ += markup;
}

std::string SvgWriter::Finish() {
  while (open_groups_ > 0) CloseGroup();
  out_ += "</svg>\n";
  return std::move(out_);
}

}  // namespace helenus::chart
