#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace helenus::chart {

// The text with & < > " ' replaced by XML entities (for element text and attributes).
std::string XmlEscape(std::string_view text);

// A pixel coordinate or length as SVG text: at most two decimals, no trailing zeros.
std::string SvgNumber(double v);

// Builds an SVG document element by element. Colours and the `extra` attribute strings
// come from the chart code; every text that may come from data goes through XmlEscape.
class SvgWriter {
 public:
  // A document of width x height pixels with a white background.
  SvgWriter(double width, double height);

  // The document's <title> (what viewers show as its name).
  void Title(std::string_view text);
  // A rectangle filled with fill; extra is appended inside the tag verbatim.
  void Rect(double x, double y, double w, double h, std::string_view fill,
            std::string_view extra = "");
  // A circle; its fill usually comes from the enclosing group.
  void Circle(double cx, double cy, double r, std::string_view extra = "");
  // A straight line stroked with stroke.
  void Line(double x1, double y1, double x2, double y2, std::string_view stroke, double width,
            std::string_view extra = "");
  // An open path through points stroked with stroke.
  void Polyline(const std::vector<std::pair<double, double>>& points, std::string_view stroke,
                double width, std::string_view extra = "");
  // A text at (x, y) (baseline); anchor is start, middle or end.
  void Text(double x, double y, std::string_view text, std::string_view anchor = "start",
            std::string_view extra = "");
  // Opens a <g> with these attributes; every OpenGroup needs a CloseGroup.
  void OpenGroup(std::string_view attributes);
  // Closes the innermost open group.
  void CloseGroup();
  // Appends markup as is (gradient definitions and the like).
  void Raw(std::string_view markup);
  // Closes open groups and the document and returns it.
  std::string Finish();

 private:
  std::string out_;
  int open_groups_ = 0;
};

}  // namespace helenus::chart
