#include "helenus/ml/pipeline.h"

#include <fmt/format.h>

#include <algorithm>

#include "helenus/common/error.h"

namespace helenus::ml {

Pipeline::Pipeline(std::vector<PipelineStage> stages) : stages_(std::move(stages)) {
  for (size_t i = 0; i < stages_.size(); ++i) {
    const bool null = std::visit([](const auto& p) { return p == nullptr; }, stages_[i]);
    if (null) ThrowInvalid("Pipeline stage {} is empty", i);
  }
}

std::unique_ptr<Model> Pipeline::Fit(const Frame& input, const Context& ctx) const {
  // Stages after the last estimator are only needed at transform time, so
  // the training frame is not pushed through them (Spark does the same).
  size_t last_estimator = 0;
  bool any_estimator = false;
  for (size_t i = 0; i < stages_.size(); ++i) {
    if (std::holds_alternative<EstimatorPtr>(stages_[i])) {
      last_estimator = i;
      any_estimator = true;
    }
  }
  std::vector<TransformerPtr> fitted;
  fitted.reserve(stages_.size());
  Frame frame = input;
  for (size_t i = 0; i < stages_.size(); ++i) {
    ctx.CheckCancelled();
    TransformerPtr stage;
    if (const auto* est = std::get_if<EstimatorPtr>(&stages_[i])) {
      stage = (*est)->Fit(frame, ctx);
    } else {
      stage = std::get<TransformerPtr>(stages_[i]);
    }
    if (any_estimator && i < last_estimator) frame = stage->Transform(frame, ctx);
    fitted.push_back(std::move(stage));
    ctx.Step(i + 1, stages_.size());
  }
  return std::make_unique<PipelineModel>(std::move(fitted));
}

PipelineModel::PipelineModel(std::vector<TransformerPtr> stages) : stages_(std::move(stages)) {}

Frame PipelineModel::Transform(const Frame& input, const Context& ctx) const {
  Frame frame = input;
  for (const auto& stage : stages_) frame = stage->Transform(frame, ctx);
  return frame;
}

void PipelineModel::Save(Writer& out) const {
  out.U64(stages_.size());
  for (const auto& stage : stages_) out.Bytes(SaveModel(*stage));
}

std::unique_ptr<PipelineModel> PipelineModel::Load(Reader& in, const Registry& registry) {
  // Each stage is at least its own length prefix plus a magic header.
  const size_t n = in.Count(16);
  std::vector<TransformerPtr> stages;
  stages.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const std::vector<uint8_t> bytes = in.Bytes();
    stages.push_back(LoadModel(bytes, registry));
  }
  return std::make_unique<PipelineModel>(std::move(stages));
}

std::vector<std::pair<std::string, std::string>> PipelineModel::Describe() const {
  std::vector<std::string> kinds;
  for (const auto& s : stages_) kinds.push_back(s->kind());
  std::vector<std::pair<std::string, std::string>> d = {
      {"stages", fmt::format("{}", fmt::join(kinds, ", "))}};
  if (!stages_.empty()) {
    for (auto& line : stages_.back()->Describe()) d.push_back(std::move(line));
  }
  return d;
}

std::vector<std::string> PipelineModel::Artifacts() const {
  std::vector<std::string> names;
  for (const auto& s : stages_) {
    for (auto& a : s->Artifacts()) {
      if (std::find(names.begin(), names.end(), a) == names.end()) names.push_back(std::move(a));
    }
  }
  return names;
}

Frame PipelineModel::Artifact(std::string_view name) const {
  for (auto it = stages_.rbegin(); it != stages_.rend(); ++it) {
    const auto names = (*it)->Artifacts();
    if (std::find(names.begin(), names.end(), name) != names.end()) return (*it)->Artifact(name);
  }
  ThrowInvalid("Model pipeline_model has no artifact {}", name);
}

ModelLoader PipelineModelLoader(const Registry* registry) {
  return [registry](Reader& in) -> std::unique_ptr<Model> {
    return PipelineModel::Load(in, registry != nullptr ? *registry : Registry::Default());
  };
}

void RegisterPipeline(Registry& r) {
  r.AddLoader("pipeline_model", PipelineModelLoader(nullptr));
}

}  // namespace helenus::ml
