#pragma once

// Automatic preprocessing for ML statements, as BigQuery ML does it (and
// Spark's RFormula): numeric and boolean columns are used as they are (a
// NULL becomes the training mean), text columns are one-hot encoded over
// the training vocabulary, vector columns are concatenated. Labels of
// classifiers are indexed in ascending order of value, like scikit-learn's
// LabelEncoder, so class indices match a scikit-learn run on the same rows.

#include <memory>
#include <string>
#include <vector>

#include "helenus/ml/model.h"

namespace helenus::ml {

// The fitted encoding of a list of input columns into one feature vector column.
class AutoFeatures final : public Model {
 public:
  // How one input column becomes feature slots.
  enum class Encoding : uint8_t { kNumber, kOneHot, kVector };
  // One input column's encoding.
  struct Input {
    std::string column;
    Encoding encoding = Encoding::kNumber;
    double fill = 0;                      // kNumber: value used for NULL/NaN (training mean)
    std::vector<std::string> vocabulary;  // kOneHot: one slot per value, most frequent first
    size_t width = 1;                     // slots this column takes
  };

  AutoFeatures() = default;
  // Learns encodings of `columns` of f; Invalid for columns no feature can come from.
  static std::unique_ptr<AutoFeatures> Fit(const Frame& f, const std::vector<std::string>& columns,
                                           std::string output_col = "features");

  std::string kind() const override { return "auto_features"; }
  // Adds output_col (dense, or sparse when wide) with feature names.
  Frame Transform(const Frame& input, const Context& ctx) const override;
  void Save(Writer& out) const override;
  static std::unique_ptr<Model> Load(Reader& in);
  std::vector<std::pair<std::string, std::string>> Describe() const override;

  // Total number of feature slots.
  size_t dim() const { return dim_; }
  // Name of each slot ("alcohol", "color_red", ...).
  const std::vector<std::string>& feature_names() const { return names_; }
  const std::vector<Input>& inputs() const { return inputs_; }

 private:
  void Finish();
  std::vector<Input> inputs_;
  std::string output_col_ = "features";
  size_t dim_ = 0;
  std::vector<std::string> names_;
};

// Class labels of a classifier: distinct label values in ascending order.
class LabelEncoder {
 public:
  // Learns the classes of column `label` of f (NULL labels are Invalid).
  static LabelEncoder Fit(const Frame& f, const std::string& label);
  // Index of each row's label; -1 for a value not seen in training or NULL.
  std::vector<double> Encode(const Frame& f) const;
  // A column of the label's type holding class index[r] per row (NULL when NaN).
  exec::Column Decode(const std::vector<double>& index) const;

  size_t num_classes() const { return text_.size(); }
  // The label text of each class (for Attributes::labels and reports).
  const std::vector<std::string>& labels() const { return text_; }
  const DataType& type() const { return type_; }
  const std::string& column() const { return column_; }

  void Save(Writer& out) const;
  static LabelEncoder Load(Reader& in);

 private:
  std::string column_;
  DataType type_;
  std::vector<std::string> values_;  // CQL-serialized value of each class
  std::vector<std::string> text_;    // its text
};

}  // namespace helenus::ml
