#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace helenus::chart {

// The options of one chart (WITH name = 'value' ...); names are case-insensitive.
class ChartOptions {
 public:
  // No options.
  ChartOptions() = default;
  // Options from (name, value) pairs.
  ChartOptions(std::initializer_list<std::pair<std::string, std::string>> values);

  // Sets an option (a later value replaces an earlier one).
  void Set(std::string_view name, std::string value);
  // True when the option was given.
  bool Has(std::string_view name) const;
  // The option's value, or fallback when absent.
  std::string Get(std::string_view name, std::string_view fallback = "") const;
  // An integer option in [min, max]; throws CqlError(kInvalid) when malformed or out of range.
  int GetInt(std::string_view name, int fallback, int min, int max) const;
  // A number option; throws CqlError(kInvalid) when malformed.
  double GetDouble(std::string_view name, double fallback) const;
  // A true/false (yes/no, on/off, 1/0) option; throws CqlError(kInvalid) otherwise.
  bool GetBool(std::string_view name, bool fallback) const;
  // The names of the options given, lower-case and sorted.
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace helenus::chart
