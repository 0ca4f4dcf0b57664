#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace helenus::chart {

// The i-th colour of the categorical palette (Tableau 10, repeating after ten).
std::string_view CategoricalColor(size_t i);

// A colour from near white (t = 0) to dark blue (t = 1) for heatmap cells.
std::string SequentialColor(double t);

// Black or white, whichever reads better on SequentialColor(t).
std::string_view TextColorOn(double t);

}  // namespace helenus::chart
