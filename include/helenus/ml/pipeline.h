#pragma once

// MLlib's Pipeline: a chain of estimators and transformers fitted as one
// estimator; the result is a PipelineModel that applies every fitted stage.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "helenus/ml/model.h"
#include "helenus/ml/registry.h"

namespace helenus::ml {

// One stage of a pipeline: an estimator to fit, or a transformer used as is.
using TransformerPtr = std::shared_ptr<const Transformer>;
using PipelineStage = std::variant<EstimatorPtr, TransformerPtr>;

// An estimator made of stages. Fit runs them in order like Spark: each
// estimator is fitted on the frame as transformed by the stages before it,
// and the frame is transformed by every stage up to the last estimator.
class Pipeline final : public Estimator {
 public:
  explicit Pipeline(std::vector<PipelineStage> stages);
  std::string kind() const override { return "pipeline"; }
  std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const override;
  // The stages, in order.
  const std::vector<PipelineStage>& stages() const { return stages_; }

 private:
  std::vector<PipelineStage> stages_;
};

// The fitted stages of a Pipeline, applied in order.
class PipelineModel final : public Model {
 public:
  explicit PipelineModel(std::vector<TransformerPtr> stages);
  std::string kind() const override { return "pipeline_model"; }
  Frame Transform(const Frame& input, const Context& ctx) const override;
  // Writes the stage count, then each stage as SaveModel bytes (magic, version, kind, body).
  void Save(Writer& out) const override;
  // "stages" (their kinds), then the last stage's lines.
  std::vector<std::pair<std::string, std::string>> Describe() const override;
  // Every artifact of any stage; Artifact(name) asks the last stage that has it.
  std::vector<std::string> Artifacts() const override;
  Frame Artifact(std::string_view name) const override;

  // The fitted stages, in order.
  const std::vector<TransformerPtr>& stages() const { return stages_; }
  // Reads what Save wrote, loading each stage's kind from registry.
  static std::unique_ptr<PipelineModel> Load(Reader& in, const Registry& registry);

 private:
  std::vector<TransformerPtr> stages_;
};

// A "pipeline_model" loader whose stages load from *registry (nullptr =
// Registry::Default(), looked up when a model is loaded). The registry must
// outlive the loader.
ModelLoader PipelineModelLoader(const Registry* registry);
// Registers the "pipeline_model" loader (stages from Registry::Default()).
void RegisterPipeline(Registry& r);

}  // namespace helenus::ml
