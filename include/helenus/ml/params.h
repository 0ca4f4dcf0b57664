#pragma once

// Estimator and transformer parameters: declared once per algorithm (name,
// type, default, documentation), set by name from statements or code, and
// checked on read. Names are MLlib's in snake_case (num_trees, reg_param);
// camelCase spellings (numTrees) are accepted too.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace helenus::ml {

// A parameter value as given: a number, a boolean, a string or a list of numbers.
using ParamValue = std::variant<double, bool, std::string, std::vector<double>>;

// The type a parameter accepts.
enum class ParamType { kInt, kDouble, kBool, kString, kDoubles };

// One declared parameter.
struct ParamSpec {
  std::string name;  // snake_case
  ParamType type;
  ParamValue default_value;          // monostate-free: every parameter has a default
  std::string doc;                   // one line
  std::vector<std::string> choices;  // kString: allowed values ("" = any)
  double min = -1e300;               // kInt/kDouble: inclusive bounds
  double max = 1e300;
};

// Declarations of each parameter type (integer defaults are held as doubles).
inline ParamSpec IntParam(std::string name, int64_t def, std::string doc, double min = -1e300,
                          double max = 1e300) {
  return {std::move(name), ParamType::kInt, static_cast<double>(def), std::move(doc), {}, min, max};
}
inline ParamSpec DoubleParam(std::string name, double def, std::string doc, double min = -1e300,
                             double max = 1e300) {
  return {std::move(name), ParamType::kDouble, def, std::move(doc), {}, min, max};
}
inline ParamSpec BoolParam(std::string name, bool def, std::string doc) {
  return {std::move(name), ParamType::kBool, def, std::move(doc), {}, -1e300, 1e300};
}
inline ParamSpec StringParam(std::string name, std::string def, std::string doc,
                             std::vector<std::string> choices = {}) {
  return {std::move(name),
          ParamType::kString,
          std::move(def),
          std::move(doc),
          std::move(choices),
          -1e300,
          1e300};
}
inline ParamSpec DoublesParam(std::string name, std::vector<double> def, std::string doc) {
  return {std::move(name), ParamType::kDoubles, std::move(def), std::move(doc), {}, -1e300, 1e300};
}

// "numTrees" -> "num_trees"; snake_case names pass unchanged.
std::string SnakeCase(std::string_view name);
// Renders a value as a statement would spell it ("0.1", "true", "'gini'").
std::string ParamText(const ParamValue& value);

// Values set by name, validated against a spec.
class Params {
 public:
  Params() = default;
  // Sets name (normalized to snake_case) to value.
  Params& Set(std::string_view name, ParamValue value);
  // True when name was set.
  bool Has(std::string_view name) const;
  // Everything set, by snake_case name.
  const std::map<std::string, ParamValue>& values() const { return values_; }
  // Removes name if set; true when it was.
  bool Erase(std::string_view name);

  // Checks every set name is in spec, with an acceptable value; throws
  // Invalid naming `what` (e.g. "random_forest_classifier") and the known
  // names otherwise.
  void Validate(const std::vector<ParamSpec>& spec, std::string_view what) const;

  // Typed reads: the set value or the default given (call Validate first).
  int64_t Int(std::string_view name, int64_t def) const;
  double Double(std::string_view name, double def) const;
  bool Bool(std::string_view name, bool def) const;
  std::string String(std::string_view name, std::string def) const;
  std::vector<double> Doubles(std::string_view name, std::vector<double> def) const;

  // Typed reads with the default taken from spec.
  int64_t Int(const std::vector<ParamSpec>& spec, std::string_view name) const;
  double Double(const std::vector<ParamSpec>& spec, std::string_view name) const;
  bool Bool(const std::vector<ParamSpec>& spec, std::string_view name) const;
  std::string String(const std::vector<ParamSpec>& spec, std::string_view name) const;
  std::vector<double> Doubles(const std::vector<ParamSpec>& spec, std::string_view name) const;

 private:
  std::map<std::string, ParamValue> values_;
};

}  // namespace helenus::ml
