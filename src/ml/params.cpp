#include "helenus/ml/params.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "helenus/common/error.h"

namespace helenus::ml {

std::string SnakeCase(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != '_') out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

std::string ParamText(const ParamValue& value) {
  if (const auto* d = std::get_if<double>(&value)) return fmt::format("{}", *d);
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (const auto* s = std::get_if<std::string>(&value)) return fmt::format("'{}'", *s);
  const auto& list = std::get<std::vector<double>>(value);
  return fmt::format("[{}]", fmt::join(list, ", "));
}

Params& Params::Set(std::string_view name, ParamValue value) {
  values_[SnakeCase(name)] = std::move(value);
  return *this;
}

bool Params::Has(std::string_view name) const {
  return values_.count(SnakeCase(name)) > 0;
}

bool Params::Erase(std::string_view name) {
  return values_.erase(SnakeCase(name)) > 0;
}

namespace {

std::string_view TypeName(ParamType t) {
  switch (t) {
    case ParamType::kInt:
      return "an integer";
    case ParamType::kDouble:
      return "a number";
    case ParamType::kBool:
      return "a boolean";
    case ParamType::kString:
      return "a string";
    case ParamType::kDoubles:
      return "a list of numbers";
  }
  return "?";
}

void CheckValue(const ParamSpec& spec, const ParamValue& v, std::string_view what) {
  auto bad = [&] {
    ThrowInvalid("Option {} of {} must be {}, got {}", spec.name, what, TypeName(spec.type),
                 ParamText(v));
  };
  switch (spec.type) {
    case ParamType::kInt:
    case ParamType::kDouble: {
      const auto* d = std::get_if<double>(&v);
      if (d == nullptr || std::isnan(*d)) bad();
      if (spec.type == ParamType::kInt && *d != std::floor(*d)) bad();
      if (*d < spec.min || *d > spec.max) {
        ThrowInvalid("Option {} of {} must be in [{}, {}], got {}", spec.name, what, spec.min,
                     spec.max, *d);
      }
      return;
    }
    case ParamType::kBool:
      if (!std::holds_alternative<bool>(v)) bad();
      return;
    case ParamType::kString: {
      const auto* s = std::get_if<std::string>(&v);
      if (s == nullptr) bad();
      if (!spec.choices.empty() &&
          std::find(spec.choices.begin(), spec.choices.end(), *s) == spec.choices.end()) {
        ThrowInvalid("Option {} of {} must be one of {}, got '{}'", spec.name, what,
                     fmt::join(spec.choices, ", "), *s);
      }
      return;
    }
    case ParamType::kDoubles:
      if (std::holds_alternative<double>(v)) return;  // one number is a list of one
      if (!std::holds_alternative<std::vector<double>>(v)) bad();
      return;
  }
}

const ParamSpec* FindSpec(const std::vector<ParamSpec>& spec, std::string_view name) {
  for (const auto& s : spec) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

}  // namespace

void Params::Validate(const std::vector<ParamSpec>& spec, std::string_view what) const {
  for (const auto& [name, value] : values_) {
    const ParamSpec* s = FindSpec(spec, name);
    if (s == nullptr) {
      std::vector<std::string> known;
      for (const auto& p : spec) known.push_back(p.name);
      ThrowInvalid("Unknown option {} for {}; known options: {}", name, what,
                   fmt::join(known, ", "));
    }
    CheckValue(*s, value, what);
  }
}

int64_t Params::Int(std::string_view name, int64_t def) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end()) return def;
  if (const auto* d = std::get_if<double>(&it->second)) return static_cast<int64_t>(*d);
  ThrowInvalid("Option {} must be an integer", name);
}

double Params::Double(std::string_view name, double def) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end()) return def;
  if (const auto* d = std::get_if<double>(&it->second)) return *d;
  ThrowInvalid("Option {} must be a number", name);
}

bool Params::Bool(std::string_view name, bool def) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end()) return def;
  if (const auto* b = std::get_if<bool>(&it->second)) return *b;
  ThrowInvalid("Option {} must be a boolean", name);
}

std::string Params::String(std::string_view name, std::string def) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end()) return def;
  if (const auto* s = std::get_if<std::string>(&it->second)) return *s;
  ThrowInvalid("Option {} must be a string", name);
}

std::vector<double> Params::Doubles(std::string_view name, std::vector<double> def) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end()) return def;
  if (const auto* d = std::get_if<double>(&it->second)) return {*d};
  if (const auto* l = std::get_if<std::vector<double>>(&it->second)) return *l;
  ThrowInvalid("Option {} must be a list of numbers", name);
}

namespace {

const ParamSpec& RequireSpec(const std::vector<ParamSpec>& spec, std::string_view name) {
  const ParamSpec* s = FindSpec(spec, name);
  if (s == nullptr) ThrowInvalid("Internal error: option {} is not declared", name);
  return *s;
}

}  // namespace

int64_t Params::Int(const std::vector<ParamSpec>& spec, std::string_view name) const {
  return Int(name, static_cast<int64_t>(std::get<double>(RequireSpec(spec, name).default_value)));
}

double Params::Double(const std::vector<ParamSpec>& spec, std::string_view name) const {
  return Double(name, std::get<double>(RequireSpec(spec, name).default_value));
}

bool Params::Bool(const std::vector<ParamSpec>& spec, std::string_view name) const {
  return Bool(name, std::get<bool>(RequireSpec(spec, name).default_value));
}

std::string Params::String(const std::vector<ParamSpec>& spec, std::string_view name) const {
  return String(name, std::get<std::string>(RequireSpec(spec, name).default_value));
}

std::vector<double> Params::Doubles(const std::vector<ParamSpec>& spec,
                                    std::string_view name) const {
  return Doubles(name, std::get<std::vector<double>>(RequireSpec(spec, name).default_value));
}

}  // namespace helenus::ml
