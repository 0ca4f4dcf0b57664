#include "helenus/ml/registry.h"

#include <fmt/format.h>

#include <cstring>

#include "helenus/common/error.h"
#include "ml/builtins.h"

namespace helenus::ml {

std::string_view TaskName(Task task) {
  switch (task) {
    case Task::kClassification:
      return "classification";
    case Task::kRegression:
      return "regression";
    case Task::kClustering:
      return "clustering";
    case Task::kRecommendation:
      return "recommendation";
    case Task::kAssociation:
      return "association";
    case Task::kFeature:
      return "feature";
  }
  return "?";
}

const Registry& Registry::Default() {
  static const Registry registry = [] {
    Registry r;
    RegisterBuiltins(r);
    return r;
  }();
  return registry;
}

void Registry::Add(EstimatorInfo info) {
  std::string name = info.name;
  estimators_.insert_or_assign(std::move(name), std::move(info));
}

void Registry::Add(TransformerInfo info) {
  std::string name = info.name;
  transformers_.insert_or_assign(std::move(name), std::move(info));
}

void Registry::AddLoader(std::string kind, ModelLoader loader) {
  loaders_.insert_or_assign(std::move(kind), std::move(loader));
}

const EstimatorInfo* Registry::FindEstimator(std::string_view name) const {
  auto it = estimators_.find(name);
  return it == estimators_.end() ? nullptr : &it->second;
}

const TransformerInfo* Registry::FindTransformer(std::string_view name) const {
  auto it = transformers_.find(name);
  return it == transformers_.end() ? nullptr : &it->second;
}

std::unique_ptr<Estimator> Registry::MakeEstimator(std::string_view name,
                                                   const Params& params) const {
  const EstimatorInfo* info = FindEstimator(name);
  if (info == nullptr) {
    std::vector<std::string_view> known;
    for (const auto& [n, _] : estimators_) known.push_back(n);
    ThrowInvalid("Unknown model type {}; known types: {}", name, fmt::join(known, ", "));
  }
  params.Validate(info->params, info->name);
  return info->make(params);
}

std::unique_ptr<Transformer> Registry::MakeTransformer(std::string_view name,
                                                       const Params& params) const {
  const TransformerInfo* info = FindTransformer(name);
  if (info == nullptr) ThrowInvalid("Unknown transformer {}", name);
  params.Validate(info->params, info->name);
  return info->make(params);
}

std::unique_ptr<Model> Registry::Load(std::string_view kind, Reader& r) const {
  auto it = loaders_.find(kind);
  if (it == loaders_.end()) ThrowInvalid("Cannot load a model of unknown kind {}", kind);
  return it->second(r);
}

namespace {
constexpr char kMagic[8] = {'H', 'L', 'N', 'S', 'M', 'O', 'D', 'L'};
}  // namespace

std::vector<uint8_t> SaveModel(const Model& model) {
  Writer w;
  for (char c : kMagic) w.U8(static_cast<uint8_t>(c));
  w.U32(kModelFormatVersion);
  w.Str(model.kind());
  model.Save(w);
  return w.Take();
}

std::unique_ptr<Model> LoadModel(std::span<const uint8_t> bytes, const Registry& registry) {
  if (bytes.size() < sizeof(kMagic) || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    ThrowInvalid("Not a Helenus model (bad magic)");
  }
  Reader r(bytes.subspan(sizeof(kMagic)));
  const uint32_t version = r.U32();
  if (version == 0 || version > kModelFormatVersion) {
    ThrowInvalid("Model format version {} is not supported (this build reads up to {})", version,
                 kModelFormatVersion);
  }
  const std::string kind = r.Str();
  auto model = registry.Load(kind, r);
  if (!r.done()) ThrowInvalid("Corrupt model: trailing bytes after the {} model", kind);
  return model;
}

Frame Transformer::Artifact(std::string_view name) const {
  ThrowInvalid("Model {} has no artifact {}", kind(), name);
}

}  // namespace helenus::ml
