// Chart options as given after WITH, read with typed getters that name bad values.
#include "helenus/chart/options.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "helenus/common/error.h"
#include "helenus/common/strings.h"

namespace helenus::chart {

ChartOptions::ChartOptions(std::initializer_list<std::pair<std::string, std::string>> values) {
  for (const auto& [name, value] : values) Set(name, value);
}

void ChartOptions::Set(std::string_view name, std::string value) {
  values_[AsciiLower(name)] = std::move(value);
}

bool ChartOptions::Has(std::string_view name) const {
  return values_.count(AsciiLower(name)) > 0;
}

std::string ChartOptions::Get(std::string_view name, std::string_view fallback) const {
  auto it = values_.find(AsciiLower(name));
  return it == values_.end() ? std::string(fallback) : it->second;
}

int ChartOptions::GetInt(std::string_view name, int fallback, int min, int max) const {
  if (!Has(name)) return fallback;
  const std::string text = Get(name);
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || v < min || v > max) {
    ThrowInvalid("Chart option {} wants an integer from {} to {}, got '{}'", name, min, max, text);
  }
  return static_cast<int>(v);
}

double ChartOptions::GetDouble(std::string_view name, double fallback) const {
  if (!Has(name)) return fallback;
  const std::string text = Get(name);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v)) {
    ThrowInvalid("Chart option {} wants a number, got '{}'", name, text);
  }
  return v;
}

bool ChartOptions::GetBool(std::string_view name, bool fallback) const {
  if (!Has(name)) return fallback;
  const std::string v = AsciiLower(Get(name));
  if (v == "true" || v == "yes" || v == "on" || v == "1") return true;
  if (v == "false" || v == "no" || v == "off" || v == "0") return false;
  ThrowInvalid("Chart option {} wants true or false, got '{}'", name, Get(name));
}

std::vector<std::string> ChartOptions::Names() const {
  std::vector<std::string> out;
  for (const auto& [name, value] : values_) out.push_back(name);
  return out;
}

}  // namespace helenus::chart
