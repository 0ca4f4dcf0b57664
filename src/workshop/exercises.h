#pragma once

// The six exercises of the workshop and the figures the summary shows for each.

#include <functional>
#include <string>
#include <vector>

#include "helenus/client/result.h"

namespace helenus::workshop {

// One figure of the summary: a statement whose rows reduce to a number.
struct Figure {
  std::string name;       // as the summary shows it ("accuracy", "precision (malignant)")
  std::string statement;  // CQL/ML statement run after the exercise's script
  std::function<double(const std::vector<client::Row>&)> reduce;
};

// One exercise: its script, its model and its figures.
struct Exercise {
  std::string script;  // file name under the scripts directory
  std::string title;   // e.g. "k-means: social media posts"
  std::string model;   // model name in keyspace workshop
  std::vector<Figure> figures;
};

// The exercises in the order the workshop teaches them.
const std::vector<Exercise>& Exercises();

}  // namespace helenus::workshop
