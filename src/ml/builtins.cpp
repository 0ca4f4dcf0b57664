#include "ml/builtins.h"

#include "helenus/ml/registry.h"

namespace helenus::ml {

// Each algorithm file defines its Register<Name>; add one declaration and
// one call per file.
void RegisterAutoFeatures(Registry& r);
void RegisterFeatures(Registry& r);
void RegisterKMeans(Registry& r);
void RegisterFpGrowth(Registry& r);
void RegisterAls(Registry& r);
void RegisterPca(Registry& r);
void RegisterPipeline(Registry& r);
void RegisterLogisticRegression(Registry& r);
void RegisterLinearRegression(Registry& r);
void RegisterLinearSvc(Registry& r);
void RegisterNaiveBayes(Registry& r);
void RegisterTrees(Registry& r);

void RegisterBuiltins(Registry& r) {
  RegisterAutoFeatures(r);
  RegisterFeatures(r);
  RegisterKMeans(r);
  RegisterFpGrowth(r);
  RegisterAls(r);
  RegisterPca(r);
  RegisterPipeline(r);
  RegisterLogisticRegression(r);
  RegisterLinearRegression(r);
  RegisterLinearSvc(r);
  RegisterNaiveBayes(r);
  RegisterTrees(r);
}

}  // namespace helenus::ml
